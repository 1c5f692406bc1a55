"""The address founders write to: the privacy contact, or the sender of the portal's e-mails."""

from email.utils import parseaddr

from django.conf import settings


def address() -> str:
    return parseaddr(settings.PRIVACY_CONTACT_EMAIL or settings.DEFAULT_FROM_EMAIL)[1]
