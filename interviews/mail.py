"""The e-mail inviting founders to interview, with the placeholders it adds to the common ones.

Sent once per founder (owner and co-founders, each in their language) when the review shortlist
of a call with the interview stage is locked (interviews.services.invite). The link goes to the
application's page, where invited founders book their slot.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.timefmt import deadline_text
from core import links
from mail.templating import Preview, register_kind

KIND = "interview_invitation"
TITLE = gettext_lazy("Invitation to interview")

PLACEHOLDERS = {
    "application_url": gettext_lazy("Address of the application's page, where the founders book their interview"),
    "booking_closes": gettext_lazy(
        "When booking an interview closes, with its time zone; or a sentence saying the founders will be told"
    ),
}


def register() -> None:
    register_kind(KIND, placeholders=PLACEHOLDERS, preview=preview)


def values(call, application) -> dict:
    """The kind's own placeholders, in the active language."""
    closes = call.interview_booking_closes_at
    return {
        "application_url": links.absolute(reverse("applications:detail", kwargs={"pk": application.pk})),
        "booking_closes": deadline_text(closes, call.time_zone)
        if closes
        else _("the date will be on your application's page"),
    }


def preview(*, call, application, viewer) -> Preview:
    return Preview({"recipient": viewer, **values(call, application)})
