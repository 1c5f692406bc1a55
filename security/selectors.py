"""Reads about a person's sign-in security: is a second factor required, which device do they have."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice


def is_staff_account(user) -> bool:
    """Reviewers and organisers: anyone who can reach the admin or act as a superuser."""
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def mfa_required(user) -> bool:
    return bool(settings.REQUIRE_STAFF_MFA) and is_staff_account(user)


def mfa_pending(user) -> bool:
    """Signed in with a password but not yet with the second factor, while one is required."""
    if not mfa_required(user):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()
