"""What the interview reminders say beyond the common placeholders (see reminders.mails): text in
the recipient's language, each moment in the call's zone saying which."""

import datetime as dt
import zoneinfo

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications.timefmt import deadline_text
from core import links
from mail.templating import Preview, register_kind

BOOKING_KIND = "interview_booking_reminder"
SLOT_KIND = "interview_reminder"
PANEL_KIND = "interview_panel_day"

APPLICATION_URL = gettext_lazy("Address of the founder's application, where the slot is booked or moved")
BOOKING_PLACEHOLDERS = {
    "deadline": gettext_lazy(
        "When booking closes, in the call's time zone, saying which, e.g. “March 10, 2031, 6:00 p.m. (Paris time)”"
    ),
    "time_left": gettext_lazy("Time left until booking closes when the e-mail is sent, e.g. “2 days, 3 hours”"),
    "url": APPLICATION_URL,
}
SLOT_PLACEHOLDERS = {
    "interview_time": gettext_lazy(
        "Start of the interview in the call's time zone, saying which, e.g. “March 12, 2031, 10:00 a.m. (Paris time)”"
    ),
    "time_left": gettext_lazy("Time left until the interview when the e-mail is sent, e.g. “23 hours, 59 minutes”"),
    "duration": gettext_lazy("Length of the interview, e.g. “30 minutes”"),
    "place": gettext_lazy("Where: the room at STATION F, or the online link"),
    "url": APPLICATION_URL,
}
PANEL_PLACEHOLDERS = {
    "interview_day": gettext_lazy("The day of the interviews, e.g. “March 12, 2031”"),
    "interview_count": gettext_lazy("How many interviews the panel member has that day, in words, e.g. “3 interviews”"),
    "interviews": gettext_lazy(
        "The panel member's interviews of the day, one a line: time (in the call's time zone), startup, place"
    ),
    "time_zone": gettext_lazy("The call's time zone, e.g. “Paris time”"),
    "url": gettext_lazy("Address of the panel's interviews in the admin, where they are scored"),
}


def register() -> None:
    register_kind(BOOKING_KIND, placeholders=BOOKING_PLACEHOLDERS, preview=preview_booking)
    register_kind(SLOT_KIND, placeholders=SLOT_PLACEHOLDERS, preview=preview_slot)
    register_kind(PANEL_KIND, placeholders=PANEL_PLACEHOLDERS, preview=preview_panel)


# Values, in the active language ---------------------------------------------------------------


def _application_url(application) -> str:
    return links.absolute(reverse("applications:detail", args=[application.pk]))


def _place(slot) -> str:
    return slot.online_url if slot.place_kind == "online" else slot.room


def _zone_name(call) -> str:
    return _("%(city)s time") % {"city": call.time_zone.split("/")[-1].replace("_", " ")}


def booking_values(call, application, closes: dt.datetime, now: dt.datetime) -> dict[str, str]:
    return {
        "deadline": deadline_text(closes, call.time_zone),
        "time_left": timeuntil(closes, now),
        "url": _application_url(application),
    }


def slot_values(call, application, slot, now: dt.datetime) -> dict[str, str]:
    minutes = slot.duration_minutes
    return {
        "interview_time": deadline_text(slot.starts_at, call.time_zone),
        "time_left": timeuntil(slot.starts_at, now),
        "duration": ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes},
        "place": _place(slot),
        "url": _application_url(application),
    }


def panel_item(slot) -> tuple[dt.datetime, str, str]:
    """(start, startup, place) of a booked slot, for panel_values."""
    return slot.starts_at, slot.booking.invitation.application.startup_name, _place(slot)


def panel_values(call, morning: dt.datetime, items: list[tuple[dt.datetime, str, str]]) -> dict[str, str]:
    """items: the panel member's interviews of the day (panel_item), in time order."""
    zone = morning.tzinfo
    lines = [
        f"- {date_format(timezone.localtime(starts_at, zone), 'TIME_FORMAT')} · {startup} · {place}"
        for starts_at, startup, place in items
    ]
    count = len(items)
    return {
        "interview_day": date_format(morning.date(), "DATE_FORMAT"),
        "interview_count": ngettext("%(count)s interview", "%(count)s interviews", count) % {"count": count},
        "interviews": "\n".join(lines),
        "time_zone": _zone_name(call),
        "url": panel_admin_url(),
    }


def panel_admin_url() -> str:
    try:
        path = reverse("admin:interviews_panelinterview_changelist")
    except NoReverseMatch:  # the panel pages are not in the admin (a trimmed deployment)
        path = reverse("admin:index")
    return links.absolute(path)


# Previews in the e-mail text editor: the chosen application's real slot when it has one,
# otherwise an example a week ahead, said as such.

EXAMPLE_NOTE = gettext_lazy("The interview shown is an example: this application has no booked slot.")


class _ExampleSlot:
    place_kind = "room"
    room = "STATION F — Room 2"
    online_url = ""
    duration_minutes = 30

    def __init__(self, starts_at):
        self.starts_at = starts_at


def _slot_of(application):
    from interviews.models import Booking

    booking = Booking.objects.filter(invitation__application=application).select_related("slot").first()
    return booking.slot if booking is not None else None


def _example_start() -> dt.datetime:
    start = timezone.now() + dt.timedelta(days=7)
    return start.replace(hour=9, minute=0, second=0, microsecond=0)


def preview_booking(*, call, application, viewer) -> Preview:
    closes = call.interview_booking_closes_at or timezone.now() + dt.timedelta(days=3)
    now = min(timezone.now(), closes - dt.timedelta(hours=72))
    return Preview({"recipient": application.owner, **booking_values(call, application, closes, now)})


def preview_slot(*, call, application, viewer) -> Preview:
    slot = _slot_of(application)
    note = ""
    if slot is None:
        slot, note = _ExampleSlot(_example_start()), EXAMPLE_NOTE
    now = slot.starts_at - dt.timedelta(hours=24)
    return Preview({"recipient": application.owner, **slot_values(call, application, slot, now)}, note)


def preview_panel(*, call, application, viewer) -> Preview:
    slot = _slot_of(application)
    note = ""
    if slot is None:
        slot, note = _ExampleSlot(_example_start()), EXAMPLE_NOTE
    zone = zoneinfo.ZoneInfo(call.time_zone)
    morning = dt.datetime.combine(slot.starts_at.astimezone(zone).date(), dt.time(8), tzinfo=zone)
    item = (slot.starts_at, application.startup_name, _place(slot))
    return Preview({"recipient": viewer, **panel_values(call, morning, [item])}, note)
