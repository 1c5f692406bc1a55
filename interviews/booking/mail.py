"""The e-mails of booking: to each founder when the startup books or moves its interview (with
the .ics of the new time), and to the panel members whose slot was booked, moved to or left.

Exactly once per booking and SEQUENCE: the dedupe keys carry both, so a move sends again (the
sequence changed) and a retried request sends nothing more. The values are text in each
recipient's language, passed in the context as placeholders (mail.templating), so organisers can
reword these e-mails per call like the others.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications.services.submission import founders_of
from applications.timefmt import deadline_text
from core import links
from interviews.booking import calendar
from interviews.booking import links as calendar_links
from interviews.models import Booking, Invitation, Slot
from mail.services import attachment, queue_mail
from mail.templating import Preview, register_kind

BOOKED = "interview_booked"
MOVED = "interview_moved"
PANEL = "interview_panel_update"

SAMPLE_NOTE = gettext_lazy("This application has no interview booked: the slot in this preview is an example.")

_TIME = gettext_lazy(
    "Start of the interview in the call's time zone, saying which, e.g. “December 9, 2026, 10 a.m. (Paris time)”"
)
_PLACE = gettext_lazy("Where the interview takes place: the room at STATION F, or the online link")
_DURATION = gettext_lazy("Length of the interview, e.g. “30 minutes”")
FOUNDER_PLACEHOLDERS = {
    "interview_time": _TIME,
    "interview_duration": _DURATION,
    "interview_place": _PLACE,
    "change_until": gettext_lazy("Until when the founders can still move the interview, with its time zone"),
    "booking_url": gettext_lazy("Address of the page where the founders see or move their interview"),
    "calendar_url": gettext_lazy(
        "The founder's own calendar link: subscribe to it and the interview follows every move"
    ),
}
MOVED_PLACEHOLDERS = {
    **FOUNDER_PLACEHOLDERS,
    "previous_time": gettext_lazy("Start of the interview before the move, with its time zone"),
}
PANEL_PLACEHOLDERS = {
    "interview_time": _TIME,
    "interview_duration": _DURATION,
    "interview_place": _PLACE,
    "what_changed": gettext_lazy("What happened, in a sentence: a startup booked the slot, moved to it or left it"),
    "calendar_url": gettext_lazy("The panel member's calendar feed of their interviews"),
}


def register() -> None:
    register_kind(BOOKED, placeholders=FOUNDER_PLACEHOLDERS, preview=preview_founder)
    register_kind(MOVED, placeholders=MOVED_PLACEHOLDERS, preview=preview_founder)
    register_kind(PANEL, placeholders=PANEL_PLACEHOLDERS, preview=preview_panel)


# Values, in the active language ---------------------------------------------------------------


def slot_values(slot: Slot) -> dict[str, str]:
    zone = slot.call.time_zone
    return {
        "interview_time": deadline_text(slot.starts_at, zone),
        "interview_duration": ngettext("%(count)s minute", "%(count)s minutes", slot.duration_minutes)
        % {"count": slot.duration_minutes},
        "interview_place": calendar.place_text(slot),
    }


def founder_values(booking: Booking, person, previous_slot: Slot | None = None) -> dict[str, str]:
    from interviews.booking.selectors import CHANGE_CUTOFF

    slot = booking.slot
    application = booking.invitation.application
    change_until = slot.starts_at - CHANGE_CUTOFF
    closes = slot.call.interview_booking_closes_at
    if closes is not None:
        change_until = min(change_until, closes)
    values = {
        **slot_values(slot),
        "change_until": deadline_text(change_until, slot.call.time_zone),
        "booking_url": links.absolute(reverse("booking:page", args=[application.pk])),
        "calendar_url": calendar_links.founder_calendar_url(booking.invitation_id, person.pk),
    }
    if previous_slot is not None:
        values["previous_time"] = deadline_text(previous_slot.starts_at, slot.call.time_zone)
    return values


def _panel_sentence(startup: str, slot: Slot, previous_slot: Slot | None, *, left: bool) -> str:
    zone = slot.call.time_zone
    if left:
        return _("%(startup)s moved its interview away from your slot of %(time)s: that slot is free again.") % {
            "startup": startup,
            "time": deadline_text(previous_slot.starts_at, zone),
        }
    if previous_slot is None:
        return _("%(startup)s booked the interview of %(time)s.") % {
            "startup": startup,
            "time": deadline_text(slot.starts_at, zone),
        }
    return _("%(startup)s moved its interview to %(time)s (it was at %(previous)s).") % {
        "startup": startup,
        "time": deadline_text(slot.starts_at, zone),
        "previous": deadline_text(previous_slot.starts_at, zone),
    }


# Sending ----------------------------------------------------------------------------------------


def tell_booking(booking: Booking, *, previous_slot: Slot | None = None) -> None:
    """Queue the e-mails of a booking (previous_slot None) or of a move. booking.slot.call and
    booking.invitation.application must be loaded."""
    application = booking.invitation.application
    call = booking.slot.call
    founders = [person for person in founders_of(application) if person.email]
    kind = BOOKED if previous_slot is None else MOVED
    for person in founders:
        with translation.override(person.language):
            values = founder_values(booking, person, previous_slot)
            ics = calendar.booking_invite(booking, founders, language=person.language)
        queue_mail(
            kind=kind,
            to=person.email,
            language=person.language,
            recipient=person,
            dedupe_key=f"interview-booking:{booking.pk}:{booking.sequence}:{person.pk}",
            context={"call": call, "application": application, "recipient": person, **values},
            attachments=[attachment("interview.ics", calendar.REQUEST_CONTENT_TYPE, ics)],
        )
    _tell_panels(booking, previous_slot)


def _tell_panels(booking: Booking, previous_slot: Slot | None) -> None:
    slot = booking.slot
    application = booking.invitation.application
    new_panel = list(slot.panel.all())
    new_ids = {member.pk for member in new_panel}
    left_panel = [m for m in previous_slot.panel.all() if m.pk not in new_ids] if previous_slot is not None else []
    for members, about, left in ((new_panel, slot, False), (left_panel, previous_slot, True)):
        for member in members:
            if not member.email:
                continue
            with translation.override(member.language):
                values = {
                    **slot_values(about),
                    "what_changed": _panel_sentence(application.startup_name, slot, previous_slot, left=left),
                    "calendar_url": calendar_links.panel_calendar_url(member.pk),
                }
            queue_mail(
                kind=PANEL,
                to=member.email,
                language=member.language,
                recipient=member,
                dedupe_key=f"interview-panel:{booking.pk}:{booking.sequence}:{member.pk}",
                context={"call": slot.call, "application": application, "recipient": member, **values},
            )


# Previews in the e-mail text editor -----------------------------------------------------------


def _preview_booking(call, application) -> tuple[Booking, str]:
    """The application's booking, or an unsaved example a week ahead (with the note saying so)."""
    booking = (
        Booking.objects.select_related("slot__call", "invitation__application")
        .filter(invitation__application=application)
        .first()
    )
    if booking is not None:
        return booking, ""
    starts = (timezone.now() + dt.timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    slot = Slot(call=call, starts_at=starts, duration_minutes=30, room="STATION F")
    invitation = Invitation(pk=0, application=application, call=call)
    return Booking(slot=slot, invitation=invitation), SAMPLE_NOTE


def preview_founder(*, call, application, viewer) -> Preview:
    booking, note = _preview_booking(call, application)
    previous = Slot(call=call, starts_at=booking.slot.starts_at - dt.timedelta(days=1), duration_minutes=30)
    person = application.owner
    return Preview({"recipient": person, **founder_values(booking, person, previous)}, note)


def preview_panel(*, call, application, viewer) -> Preview:
    booking, note = _preview_booking(call, application)
    return Preview(
        {
            "recipient": viewer,
            **slot_values(booking.slot),
            "what_changed": _panel_sentence(application.startup_name, booking.slot, None, left=False),
            "calendar_url": calendar_links.panel_calendar_url(viewer.pk),
        },
        note,
    )
