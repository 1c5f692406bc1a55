"""Writes on accounts."""

from django.conf import settings

from accounts.models import User


def save_language(user: User, code: str) -> None:
    code = code.split("-")[0]
    if code in dict(settings.LANGUAGES) and user.language != code:
        user.language = code
        user.save(update_fields=["language"])
