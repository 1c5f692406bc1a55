"""Interview reminders through the sweep, exactly once: booking, the interview itself (also after a
move) and the panel's day."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from applications.models import Membership
from interviews.models import Booking, Outcome
from reminders import interviews as interview_reminders
from reminders.models import Reminder, ReminderKind
from reminders.sweep import run_sweep
from tests.factories.accounts import UserFactory
from tests.factories.interviews import (
    BookingFactory,
    InterviewCallFactory,
    InvitationFactory,
    PanelMemberFactory,
    SlotFactory,
)

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# In UTC, as the database hands them back: arithmetic on a Paris time across the change to summer
# time (30 March 2031) would count wall-clock hours. 18:00 and 10:00 in Paris.
BOOKING_CLOSES = dt.datetime(2031, 4, 1, 16, 0, tzinfo=dt.UTC)
INTERVIEW = dt.datetime(2031, 4, 8, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def call():
    return InterviewCallFactory(
        title="AI Startup Programme",
        shortlist_locked_at=timezone.now(),
        interview_booking_closes_at=BOOKING_CLOSES,
    )


def sweep(at, callbacks):
    with callbacks(execute=True):
        return interview_reminders.send_interview_reminders(at)


def invite(call, *, language="en", name="Alpaca AI"):
    owner = UserFactory(language=language, first_name="Lea")
    return InvitationFactory(
        call=call, application__call=call, application__owner=owner, application__startup_name=name
    )


def book(invitation, starts_at, panel=()):
    slot = SlotFactory(call=invitation.call, starts_at=starts_at, panel=list(panel))
    return BookingFactory(invitation=invitation, slot=slot)


def move(booking, starts_at, at):
    """What a move does to the booking (iv-booking's service does the same): another slot, a later sequence."""
    booking.slot = SlotFactory(call=booking.invitation.call, starts_at=starts_at)
    booking.moved_at = at
    booking.sequence += 1
    booking.save()
    return booking


def test_founders_who_have_not_booked_hear_three_days_then_one_day_before_booking_closes(
    call, django_capture_on_commit_callbacks
):
    waiting = invite(call)
    co_founder = UserFactory(language="fr", first_name="Hugo")
    Membership.objects.create(application=waiting.application, user=co_founder, call=call)
    book(invite(call, name="Booked AI"), INTERVIEW)
    InvitationFactory(call=call, application__call=call, outcome=Outcome.WITHDRAWN, outcome_reason="Raised a round")

    assert sweep(BOOKING_CLOSES - dt.timedelta(hours=72, seconds=1), django_capture_on_commit_callbacks) == []
    first = sweep(BOOKING_CLOSES - dt.timedelta(hours=72), django_capture_on_commit_callbacks)
    assert sorted((r.email, r.offset_hours) for r in first) == sorted(
        [(waiting.application.owner.email, 72), (co_founder.email, 72)]
    )
    assert sweep(BOOKING_CLOSES - dt.timedelta(hours=30), django_capture_on_commit_callbacks) == []
    second = sweep(BOOKING_CLOSES - dt.timedelta(hours=24), django_capture_on_commit_callbacks)
    assert {r.offset_hours for r in second} == {24}
    assert sweep(BOOKING_CLOSES, django_capture_on_commit_callbacks) == []

    english = next(m for m in mail.outbox if m.to == [waiting.application.owner.email])
    assert english.subject == "Book your interview for AI Startup Programme"
    assert "Alpaca AI is invited to interview" in english.body
    assert "April 1, 2031, 6 p.m. (Paris time)" in english.body
    assert f"/applications/{waiting.application.pk}/" in english.body
    french = next(m for m in mail.outbox if m.to == [co_founder.email])
    assert french.subject == "Réservez votre entretien pour AI Startup Programme"
    assert "(heure de Paris)" in french.body
    assert Reminder.objects.filter(kind=ReminderKind.INTERVIEW_BOOKING).count() == 4


def test_booked_founders_hear_24_hours_and_1_hour_before_exactly_once(call, django_capture_on_commit_callbacks):
    booking = book(invite(call), INTERVIEW)
    at_24 = INTERVIEW - dt.timedelta(hours=24)
    assert [r.offset_hours for r in sweep(at_24, django_capture_on_commit_callbacks)] == [24]
    # A second sweep, and one a minute later, send nothing again.
    assert sweep(at_24, django_capture_on_commit_callbacks) == []
    assert sweep(at_24 + dt.timedelta(minutes=1), django_capture_on_commit_callbacks) == []
    assert [r.offset_hours for r in sweep(INTERVIEW - dt.timedelta(hours=1), django_capture_on_commit_callbacks)] == [1]
    assert sweep(INTERVIEW, django_capture_on_commit_callbacks) == []
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject == "Your interview for AI Startup Programme: April 8, 2031, 10 a.m. (Paris time)"
    assert "STATION F — Room 2" in message.body and "30 minutes" in message.body
    assert Reminder.objects.get(kind=ReminderKind.INTERVIEW_SLOT, offset_hours=24).deadline == booking.slot.starts_at


def test_after_a_move_the_reminders_follow_the_new_time(call, django_capture_on_commit_callbacks):
    booking = book(invite(call), INTERVIEW)
    at_24 = INTERVIEW - dt.timedelta(hours=24)
    assert len(sweep(at_24, django_capture_on_commit_callbacks)) == 1
    later = INTERVIEW + dt.timedelta(days=2)
    move(booking, later, at=at_24 + dt.timedelta(minutes=5))
    # The old time is not reminded any more; the new one is, 24 h and 1 h before, once each.
    assert sweep(INTERVIEW - dt.timedelta(hours=1), django_capture_on_commit_callbacks) == []
    sent = sweep(later - dt.timedelta(hours=24), django_capture_on_commit_callbacks)
    assert [r.offset_hours for r in sent] == [24]
    assert sweep(later - dt.timedelta(hours=24), django_capture_on_commit_callbacks) == []
    assert [r.offset_hours for r in sweep(later - dt.timedelta(hours=1), django_capture_on_commit_callbacks)] == [1]
    assert "April 10, 2031, 10 a.m. (Paris time)" in mail.outbox[-1].body
    ledger = Reminder.objects.filter(kind=ReminderKind.INTERVIEW_SLOT).order_by("pk")
    assert [(r.offset_hours, r.deadline) for r in ledger] == [(24, INTERVIEW), (24, later), (1, later)]
    assert len(mail.outbox) == 3


def test_a_move_back_and_forth_does_not_remind_a_time_twice(call, django_capture_on_commit_callbacks):
    booking = book(invite(call), INTERVIEW)
    at_24 = INTERVIEW - dt.timedelta(hours=24)
    assert len(sweep(at_24, django_capture_on_commit_callbacks)) == 1
    move(booking, INTERVIEW + dt.timedelta(days=1), at=at_24 - dt.timedelta(hours=2))
    move(booking, INTERVIEW, at=at_24 - dt.timedelta(hours=1))  # back to the same time, another slot
    assert sweep(at_24 + dt.timedelta(minutes=1), django_capture_on_commit_callbacks) == []
    assert len(mail.outbox) == 1


def test_a_booking_made_after_the_24_hour_point_gets_only_the_last_reminder(call, django_capture_on_commit_callbacks):
    booking = book(invite(call), INTERVIEW)
    Booking.objects.filter(pk=booking.pk).update(booked_at=INTERVIEW - dt.timedelta(hours=20))
    assert sweep(INTERVIEW - dt.timedelta(hours=19), django_capture_on_commit_callbacks) == []
    assert [r.offset_hours for r in sweep(INTERVIEW - dt.timedelta(hours=1), django_capture_on_commit_callbacks)] == [1]


def test_a_no_show_is_not_reminded(call, django_capture_on_commit_callbacks):
    booking = book(invite(call), INTERVIEW)
    invitation = booking.invitation
    invitation.outcome, invitation.outcome_reason = Outcome.NO_SHOW, "Recorded early by mistake"
    invitation.save()
    assert sweep(INTERVIEW - dt.timedelta(hours=1), django_capture_on_commit_callbacks) == []


def test_panel_members_get_their_day_at_8_in_paris_once(call, django_capture_on_commit_callbacks):
    ana = PanelMemberFactory(first_name="Ana", language="fr")
    ben = PanelMemberFactory(first_name="Ben")
    day = INTERVIEW.date()
    book(invite(call, name="Alpaca AI"), INTERVIEW, panel=[ana, ben])
    book(invite(call, name="Bison AI"), dt.datetime.combine(day, dt.time(14, 30), tzinfo=PARIS), panel=[ana])
    book(invite(call, name="Next Day AI"), INTERVIEW + dt.timedelta(days=1), panel=[ben])
    SlotFactory(call=call, starts_at=INTERVIEW + dt.timedelta(hours=2), panel=[ana])  # free: not listed
    morning = dt.datetime.combine(day, dt.time(8), tzinfo=PARIS)

    def panel_sweep(at):
        sent = sweep(at, django_capture_on_commit_callbacks)
        return [r for r in sent if r.kind == ReminderKind.INTERVIEW_PANEL_DAY]

    assert panel_sweep(morning - dt.timedelta(minutes=1)) == []
    sent = panel_sweep(morning)
    assert sorted(r.email for r in sent) == sorted([ana.email, ben.email])
    assert panel_sweep(morning + dt.timedelta(hours=1)) == []
    to_ana = next(m for m in mail.outbox if m.to == [ana.email])
    assert "2 entretiens" in to_ana.subject
    assert "- 10:00 · Alpaca AI · STATION F — Room 2\n- 14:30 · Bison AI · STATION F — Room 2" in to_ana.body
    assert "heure de Paris" in to_ana.body and "/admin/interviews/panelinterview/" in to_ana.body
    to_ben = next(m for m in mail.outbox if m.to == [ben.email])
    assert "Alpaca AI" in to_ben.body and "Next Day AI" not in to_ben.body
    # The next morning, Ben's next interview.
    next_morning = morning + dt.timedelta(days=1)
    assert [r.email for r in panel_sweep(next_morning)] == [ben.email]
    assert Reminder.objects.filter(kind=ReminderKind.INTERVIEW_PANEL_DAY).count() == 3


def test_the_sweep_sends_them_and_a_call_without_interviews_gets_none(django_capture_on_commit_callbacks, call):
    book(invite(call), INTERVIEW)
    plain = InvitationFactory().call  # a call whose shortlist is not locked: not in the interview stage
    assert plain.shortlist_locked_at is None
    with django_capture_on_commit_callbacks(execute=True):
        report = run_sweep(INTERVIEW - dt.timedelta(hours=24))
    assert [r.kind for r in report.interview_reminders] == [ReminderKind.INTERVIEW_SLOT]
    assert report.as_dict()["interview_reminders"] == 1


def test_the_dry_run_lists_interview_reminders_and_sends_nothing(call, capsys, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    booking = book(invite(call), INTERVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--now", (INTERVIEW - dt.timedelta(hours=24)).isoformat(), "--dry-run")
    out = capsys.readouterr().out
    assert f"Founder: interview coming up · 24 h before · {booking.invitation.application.owner.email}" in out
    assert "Dry run: nothing was sent." in out
    assert not Reminder.objects.exists() and mail.outbox == []
