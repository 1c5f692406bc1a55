"""Demo accounts, one per role, with known passwords printed by seed_demo."""

from allauth.account.models import EmailAddress

from accounts.models import User

DEMO_ACCOUNTS = [
    # (key, e-mail, password, first, last, staff, superuser, language)
    ("organiser", "organiser@example.org", "organiser-demo-2026", "Olivia", "Organiser", True, True, "en"),
    ("reviewer_meta", "reviewer.meta@example.org", "reviewer-demo-2026", "Marc", "Meta Reviewer", True, False, "en"),
    ("reviewer_hf", "reviewer.hf@example.org", "reviewer-demo-2026", "Hélène", "HF Reviewer", True, False, "fr"),
    ("founder", "founder@example.org", "founder-demo-2026", "Farid", "Founder", False, False, "fr"),
]


def seed_accounts() -> dict[str, tuple[User, str]]:
    """Create the demo users if missing; passwords are reset so the printed logins always work."""
    accounts = {}
    for key, email, password, first, last, staff, superuser, language in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(
            username=email,
            defaults={
                "email": email,
                "first_name": first,
                "last_name": last,
                "is_staff": staff,
                "is_superuser": superuser,
                "language": language,
            },
        )
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        # Verified, so the demo logins work with mandatory e-mail verification.
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        accounts[key] = (user, password)
    return accounts
