"""Calendar links: a signed, unguessable address per founder and per panel member.

The address carries the ids it serves, signed with SECRET_KEY (django.core.signing), so nothing is
stored and nobody can forge one. It is read without a session (calendar programs fetch it on their
own), so the view checks again that the person still has the right: a co-founder who left the
application, or a panel member who is no longer staff, gets a 404.
"""

from django.core import signing
from django.urls import reverse

from core import links

FOUNDER_SALT = "interviews.calendar.founder"
PANEL_SALT = "interviews.calendar.panel"


def founder_calendar_url(invitation_id: int, user_id: int) -> str:
    token = signing.dumps([invitation_id, user_id], salt=FOUNDER_SALT)
    return links.absolute(reverse("booking:founder_calendar", args=[token]))


def panel_calendar_url(user_id: int) -> str:
    token = signing.dumps(user_id, salt=PANEL_SALT)
    return links.absolute(reverse("booking:panel_calendar", args=[token]))


def read_founder_token(token: str) -> tuple[int, int] | None:
    try:
        invitation_id, user_id = signing.loads(token, salt=FOUNDER_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return int(invitation_id), int(user_id)


def read_panel_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=PANEL_SALT))
    except (signing.BadSignature, ValueError, TypeError):
        return None
