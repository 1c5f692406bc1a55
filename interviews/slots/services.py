"""Writes on interview slots: one at a time or a series, never two at once in the same room or
with the same panel member.

Slots are physical: a room holds one interview at a time, a person sits on one panel at a time,
whatever the call. Overlaps are checked against every call's slots before a slot is saved.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.timefmt import deadline_text
from calls.models import Call
from interviews.models import PlaceKind, Slot

# A slot lasts at most this long: the overlap check reads the slots that start within this
# window before a new one, so it never scans a call's whole schedule.
MAX_DURATION_MINUTES = 8 * 60
# A series makes at most this many slots at once (a day of 10-minute pitches fits).
MAX_SERIES = 60


@dataclass(frozen=True)
class Planned:
    """A slot before it is saved: what the overlap check needs."""

    starts_at: dt.datetime
    duration_minutes: int
    place_kind: str
    room: str = ""

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


def _room_key(room: str) -> str:
    return " ".join(room.split()).casefold()


def _span(slot, zone: str) -> str:
    """“10:00–10:30, December 9, 2026 (Paris time)”-like text naming a slot in messages."""
    ends = slot.starts_at + dt.timedelta(minutes=slot.duration_minutes)
    local_end = ends.astimezone(zoneinfo.ZoneInfo(zone))
    return _("%(start)s to %(end)s") % {"start": deadline_text(slot.starts_at, zone), "end": f"{local_end:%H:%M}"}


def conflicts(planned: list[Planned], panel_ids: list[int], *, exclude_pk=None, zone="Europe/Paris") -> list[str]:
    """Why these slots cannot be saved (one sentence per clash, empty when they can): a room or
    a panel member already busy at that time, in any call."""
    if not planned:
        return []
    first = min(p.starts_at for p in planned) - dt.timedelta(minutes=MAX_DURATION_MINUTES)
    last = max(p.ends_at for p in planned)
    nearby = Slot.objects.filter(starts_at__gt=first, starts_at__lt=last).prefetch_related("panel")
    if exclude_pk is not None:
        nearby = nearby.exclude(pk=exclude_pk)
    existing = list(nearby)
    panel_ids = set(panel_ids)
    problems = []
    for new in planned:
        for slot in existing:
            slot_end = slot.starts_at + dt.timedelta(minutes=slot.duration_minutes)
            if not (slot.starts_at < new.ends_at and new.starts_at < slot_end):
                continue
            if (
                new.place_kind == PlaceKind.ROOM
                and slot.place_kind == PlaceKind.ROOM
                and _room_key(slot.room) == _room_key(new.room)
            ):
                problems.append(
                    _("%(room)s is already taken from %(span)s.") % {"room": slot.room, "span": _span(slot, zone)}
                )
            busy = sorted(
                (member.get_full_name() or member.email) for member in slot.panel.all() if member.pk in panel_ids
            )
            if busy:
                problems.append(
                    ngettext(
                        "%(people)s already sits on the panel of another slot from %(span)s.",
                        "%(people)s already sit on the panel of another slot from %(span)s.",
                        len(busy),
                    )
                    % {"people": ", ".join(busy), "span": _span(slot, zone)}
                )
    return list(dict.fromkeys(problems))


def series_starts(zone: str, day: dt.date, first: dt.time, *, count: int, duration: int, gap: int) -> list[dt.datetime]:
    """The starts of a series in UTC: `count` slots of `duration` minutes from `first` on `day`, in
    `zone`, `gap` minutes apart. Wall-clock times: a series across a clock change keeps them."""
    zone = zoneinfo.ZoneInfo(zone)
    start = dt.datetime.combine(day, first)
    step = dt.timedelta(minutes=duration + gap)
    return [(start + i * step).replace(tzinfo=zone).astimezone(dt.UTC) for i in range(count)]


def create_series(
    call: Call,
    starts: list[dt.datetime],
    *,
    duration: int,
    place_kind: str,
    room: str = "",
    online_url: str = "",
    panel=(),
    notes: str = "",
    by=None,
) -> list[Slot]:
    """Create the slots of a series, all or none; raises ValidationError listing the clashes."""
    planned = [Planned(s, duration, place_kind, room) for s in starts]
    panel = list(panel)
    with transaction.atomic():
        problems = conflicts(planned, [p.pk for p in panel], zone=call.time_zone)
        if problems:
            raise ValidationError(problems)
        slots = Slot.objects.bulk_create(
            [
                Slot(
                    call=call,
                    starts_at=start,
                    duration_minutes=duration,
                    place_kind=place_kind,
                    room=room if place_kind == PlaceKind.ROOM else "",
                    online_url=online_url if place_kind == PlaceKind.ONLINE else "",
                    notes=notes,
                    created_by=by,
                )
                for start in starts
            ]
        )
        through = Slot.panel.through
        through.objects.bulk_create([through(slot_id=slot.pk, user_id=member.pk) for slot in slots for member in panel])
    return slots
