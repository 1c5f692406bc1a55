"""Interview reminders (issue #20), sent by the same sweep and exactly once through the same ledger.

- Invited founders who have not booked: 3 days and 1 day before booking closes.
- Booked founders: 24 hours and 1 hour before their interview. The interview's start is part of
  the ledger's key, so after a move the new time is reminded too, once.
- Panel members: from 08:00 (the call's zone) on each interview day, their interviews of the day.

Each step inserts the ledger rows first (the unique constraints refuse a second copy), reads back
the rows this sweep won and queues only those e-mails, in the same transaction (reminders.services).
"""

import datetime as dt
import zoneinfo

from django.db import transaction
from django.utils import translation

from calls.models import Call
from calls.phases import interview_booking_open
from reminders import interview_mails as mails
from reminders import selectors
from reminders.models import Reminder, ReminderKind
from reminders.schedule import due_offset
from reminders.services import SentReminder, _attach_messages, _dedupe_key, new_sweep_id

BOOKING_OFFSETS = [72, 24]  # hours before booking closes
SLOT_OFFSETS = [24, 1]  # hours before the interview
# Panel members hear about their day from this hour in the call's zone.
PANEL_DAY_HOUR = 8


def send_interview_reminders(now: dt.datetime, sweep_id: str | None = None) -> list[SentReminder]:
    sweep_id = sweep_id or new_sweep_id()
    sent = []
    for call in selectors.interview_calls():
        sent += send_booking_reminders(call, now, sweep_id)
        sent += send_slot_reminders(call, now, sweep_id)
        sent += send_panel_reminders(call, now, sweep_id)
    return sent


def planned_interview_reminders(now: dt.datetime) -> list[SentReminder]:
    """What a sweep at `now` would send, sending nothing (the dry run of `send_reminders`): the
    sweep's own code in a transaction that is rolled back, so the plan cannot drift from it; the
    e-mails' delivery waits for a commit that never comes."""
    with transaction.atomic():
        sent = send_interview_reminders(now)
        transaction.set_rollback(True)
    return sent


def _claim(rows: list[Reminder], sweep_id: str, call: Call, kind: str) -> list[Reminder]:
    """Insert the rows; return those this sweep inserted (the others were sent, or are being sent)."""
    if not rows:
        return []
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return list(
        Reminder.objects.filter(sweep=sweep_id, call=call, kind=kind)
        .select_related("recipient", "application")
        .order_by("pk")
    )


def send_booking_reminders(call: Call, now: dt.datetime, sweep_id: str) -> list[SentReminder]:
    closes = call.interview_booking_closes_at
    if closes is None or not interview_booking_open(call, now=now):
        return []
    offset = due_offset(BOOKING_OFFSETS, closes, now)
    if offset is None:
        return []
    invitations = list(selectors.invitations_without_booking(call))
    founders = selectors.founders_of([invitation.application_id for invitation in invitations])
    due_at = closes - dt.timedelta(hours=offset)
    rows = [
        Reminder(
            kind=ReminderKind.INTERVIEW_BOOKING,
            call=call,
            application_id=invitation.application_id,
            recipient=person,
            offset_hours=offset,
            deadline=closes,
            due_at=due_at,
            sweep=sweep_id,
        )
        for invitation in invitations
        for person in founders[invitation.application_id]
    ]
    with transaction.atomic():
        won = _claim(rows, sweep_id, call, ReminderKind.INTERVIEW_BOOKING)
        queued = []
        for reminder in won:
            person = reminder.recipient
            with translation.override(person.language):
                values = mails.booking_values(call, reminder.application, closes, now)
            queued.append(_mail(mails.BOOKING_KIND, reminder, call, values))
        return _attach_messages(won, queued)


def send_slot_reminders(call: Call, now: dt.datetime, sweep_id: str) -> list[SentReminder]:
    rows = []
    bookings = selectors.bookings_starting(call, now, dt.timedelta(hours=max(SLOT_OFFSETS)))
    by_application = {}
    for booking in bookings:
        starts = booking.slot.starts_at
        offset = due_offset(SLOT_OFFSETS, starts, now)
        if offset is None:
            continue
        # Booked (or moved) when this reminder was already due: the booking's own e-mail, just
        # sent, says the same; the next reminder (1 h before) still follows.
        changed = booking.moved_at or booking.booked_at
        if changed and changed > starts - dt.timedelta(hours=offset):
            continue
        by_application[booking.invitation.application_id] = booking
        rows.append((booking, offset))
    founders = selectors.founders_of(list(by_application))
    reminders = [
        Reminder(
            kind=ReminderKind.INTERVIEW_SLOT,
            call=call,
            application_id=booking.invitation.application_id,
            recipient=person,
            offset_hours=offset,
            deadline=booking.slot.starts_at,
            due_at=booking.slot.starts_at - dt.timedelta(hours=offset),
            sweep=sweep_id,
        )
        for booking, offset in rows
        for person in founders[booking.invitation.application_id]
    ]
    with transaction.atomic():
        won = _claim(reminders, sweep_id, call, ReminderKind.INTERVIEW_SLOT)
        queued = []
        for reminder in won:
            booking = by_application[reminder.application_id]
            with translation.override(reminder.recipient.language):
                values = mails.slot_values(call, reminder.application, booking.slot, now)
            queued.append(_mail(mails.SLOT_KIND, reminder, call, values))
        return _attach_messages(won, queued)


def panel_day(call: Call, now: dt.datetime) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """(08:00 today, midnight starting today, midnight ending today) in the call's zone, as moments."""
    zone = zoneinfo.ZoneInfo(call.time_zone)
    today = now.astimezone(zone).date()
    start = dt.datetime.combine(today, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    morning = dt.datetime.combine(today, dt.time(PANEL_DAY_HOUR), tzinfo=zone)
    return morning, start, end


def send_panel_reminders(call: Call, now: dt.datetime, sweep_id: str) -> list[SentReminder]:
    """From 08:00 on an interview day, each panel member's interviews of the day, while one of
    them is still to start (a sweep stopped all day sends nothing stale in the evening)."""
    morning, start, end = panel_day(call, now)
    if now < morning:
        return []
    slots = list(selectors.booked_slots_between(call, start, end))
    day_lists: dict[int, list] = {}
    members = {}
    for slot in slots:
        for member in slot.panel.all():
            if member.is_active and member.email:
                members[member.pk] = member
                day_lists.setdefault(member.pk, []).append(slot)
    rows = [
        Reminder(
            kind=ReminderKind.INTERVIEW_PANEL_DAY,
            call=call,
            recipient=members[member_id],
            offset_hours=0,
            deadline=morning,
            due_at=morning,
            sweep=sweep_id,
        )
        for member_id, listed in day_lists.items()
        if listed[-1].starts_at > now
    ]
    with transaction.atomic():
        won = _claim(rows, sweep_id, call, ReminderKind.INTERVIEW_PANEL_DAY)
        queued = []
        for reminder in won:
            member = reminder.recipient
            with translation.override(member.language):
                values = mails.panel_values(call, morning, [mails.panel_item(s) for s in day_lists[member.pk]])
            queued.append(_mail(mails.PANEL_KIND, reminder, call, values))
        return _attach_messages(won, queued)


def _mail(kind: str, reminder: Reminder, call: Call, values: dict) -> dict:
    person = reminder.recipient
    context = {"user": person, "recipient": person, "call": call, **values}
    if reminder.application_id:
        context["application"] = reminder.application
    return {
        "kind": kind,
        "to": person.email,
        "language": person.language,
        "recipient": person,
        "dedupe_key": _dedupe_key(reminder),
        "context": context,
    }
