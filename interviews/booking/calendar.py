"""Interviews as iCalendar (RFC 5545) files, written with the icalendar library.

- The founders' event of a booking keeps one UID for the booking's life and carries its SEQUENCE
  (bumped on each move), so a calendar replaces the event when the slot moves instead of adding a
  second one. Sent by e-mail with METHOD:REQUEST, served by the founder's calendar link without a
  method (a subscription).
- A panel member's feed lists the slots they sit on, booked or not, one UID per slot.

Times carry the call's zone (TZID=Europe/Paris) with its VTIMEZONE, so calendars show the
interview at the same wall-clock time as the portal.
"""

import datetime as dt
import zoneinfo
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import links
from interviews.models import PlaceKind

PRODID = "-//Accelerator application portal//Interviews//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
REQUEST_CONTENT_TYPE = "text/calendar; method=REQUEST; charset=utf-8"


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "portal"


def booking_uid(booking) -> str:
    return f"{booking.uid}@{_domain()}"


def slot_uid(slot) -> str:
    return f"interview-slot-{slot.pk}@{_domain()}"


def place_text(slot) -> str:
    return slot.room if slot.place_kind == PlaceKind.ROOM else slot.online_url


def _calendar(events: list, zone: str, method: str | None) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    # Each zone's rules (VTIMEZONE) over the years of the events, and the call's zone's even in an
    # empty feed: the file always says which zone its times are in.
    starts = [event.start for event in events] or [timezone.now()]
    first = min(starts).date().replace(month=1, day=1)
    last = first.replace(year=max(starts).year + 2)
    if events:
        calendar.add_missing_timezones(first_date=first, last_date=last)
    else:
        calendar.add_component(icalendar.Timezone.from_tzid(zone, first_date=first, last_date=last))
    return calendar.to_ical().decode()


def _organizer() -> icalendar.vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = name
    return organizer


def _attendee(person) -> icalendar.vCalAddress:
    attendee = icalendar.vCalAddress(f"mailto:{person.email}")
    attendee.params["cn"] = person.get_full_name() or person.email
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "ACCEPTED"
    return attendee


def _event(slot, *, uid: str, sequence: int, summary: str, description: str, attendees=(), stamp=None):
    zone = zoneinfo.ZoneInfo(slot.call.time_zone)
    starts = slot.starts_at.astimezone(zone)
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp or timezone.now())
    event.add("sequence", sequence)
    event.add("dtstart", starts)
    event.add("dtend", starts + dt.timedelta(minutes=slot.duration_minutes))
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", place_text(slot))
    if slot.place_kind == PlaceKind.ONLINE:
        event.add("url", slot.online_url)
    event.add("status", "CONFIRMED")
    event.add("organizer", _organizer())
    for person in attendees:
        if person.email:
            event.add("attendee", _attendee(person))
    return event


def _founder_event(booking, founders, stamp=None):
    slot = booking.slot
    application = booking.invitation.application
    call = slot.call
    url = links.absolute(reverse("booking:page", args=[application.pk]))
    description = "\n".join(
        [
            _("Interview of %(startup)s for %(call)s.") % {"startup": application.startup_name, "call": call.title},
            _("Place: %(place)s") % {"place": place_text(slot)},
            _("See or move your interview: %(url)s") % {"url": url},
        ]
    )
    return _event(
        slot,
        uid=booking_uid(booking),
        sequence=booking.sequence,
        summary=_("Interview: %(call)s") % {"call": call.title},
        description=description,
        attendees=founders,
        stamp=stamp,
    )


def booking_invite(booking, founders, *, language: str) -> str:
    """The .ics sent with a booking or move e-mail (METHOD:REQUEST), in the recipient's language.
    booking.slot.call and booking.invitation.application must be loaded."""
    with translation.override(language):
        return _calendar([_founder_event(booking, founders)], booking.slot.call.time_zone, "REQUEST")


def booking_feed(booking, founders, *, zone: str, language: str) -> str:
    """What a founder's calendar link serves: their booking's current event, or no event before
    they book."""
    with translation.override(language):
        events = [_founder_event(booking, founders)] if booking is not None else []
        return _calendar(events, zone, None)


def panel_feed(slots, *, zone: str, language: str) -> str:
    """A panel member's interviews: each slot they sit on, with its startup once booked.
    slots: with call, booking.invitation.application and panel loaded."""
    events = []
    with translation.override(language):
        for slot in slots:
            booking = getattr(slot, "booking", None)
            panel = ", ".join(member.get_full_name() or member.email for member in slot.panel.all())
            if booking is not None:
                startup = booking.invitation.application.startup_name
                summary = _("Interview: %(startup)s") % {"startup": startup}
                sequence = booking.sequence
            else:
                summary = _("Interview slot (not booked yet)")
                sequence = 0
            description = "\n".join(
                [
                    _("Call: %(call)s") % {"call": slot.call.title},
                    _("Place: %(place)s") % {"place": place_text(slot)},
                    _("Panel: %(people)s") % {"people": panel},
                ]
            )
            events.append(_event(slot, uid=slot_uid(slot), sequence=sequence, summary=summary, description=description))
        return _calendar(events, zone, None)
