"""A partly filled draft for the demo founder, so the form, progress and autosave can be seen at once."""

import datetime as dt

from applications.models import Application, Status, TeamMember

DRAFT = {
    "startup_name": "Lumen Health AI",
    "website": "https://lumen-health.example.eu",
    "country": "FR",
    "city": "Lyon",
    "founded_on": dt.date(2025, 3, 1),
    "legal_form": "sas",
    "team_size": 4,
    "stage": "prototype",
    "funding_raised_eur": 250_000,
    "problem": "Hospital pharmacists spend hours checking prescriptions for interactions in free-text notes.",
    "solution": "A clinical assistant fine-tuned from Llama that reads French prescriptions and flags risky "
    "interactions, running on premises or in an EU cloud.",
    "foundation_models": ["llama", "mistral"],
}
TEAM = [
    ("Farid Founder", "CEO", "founder@example.org", "https://www.linkedin.com/in/example-farid"),
    ("Camille Martin", "CTO", "camille@lumen-health.example.eu", "https://huggingface.co/example-camille"),
]


def seed_founder_draft(founder, call) -> tuple[Application, bool]:
    """Create the demo draft once; an existing application (maybe edited in the demo) is left alone."""
    application, created = Application.objects.get_or_create(
        call=call, owner=founder, defaults={**DRAFT, "status": Status.DRAFT}
    )
    if created:
        TeamMember.objects.bulk_create(
            TeamMember(application=application, name=n, role=r, email=e, profile_url=u, order=i)
            for i, (n, r, e, u) in enumerate(TEAM)
        )
    return application, created
