"""The call's interview settings (Call.clean) and the interview phase's rules (calls.phases)."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from calls import phases
from calls.phases import Phase
from tests.factories.calls import CallFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as raised:
        call.full_clean()
    return raised.value.message_dict


def test_settings_an_organiser_can_get_wrong_are_form_errors():
    call = CallFactory(cohort_size=5)
    call.interview_size = 3
    call.interview_review_weight = 1.5
    call.interview_booking_closes_at = call.review_deadline - dt.timedelta(hours=1)
    errors = errors_of(call)
    assert "as many startups as the cohort has places (5)" in errors["interview_size"][0]
    assert errors["interview_review_weight"] == ["Give a share from 0 (interviews only) to 1 (reviews only)."]
    assert errors["interview_booking_closes_at"] == ["Interview booking must close after the review deadline."]
    call.interview_size, call.interview_review_weight = 8, 0.0
    call.interview_booking_closes_at = call.review_deadline + dt.timedelta(days=7)
    call.full_clean()


def test_off_by_default_and_the_phases_say_the_interview_steps():
    call = CallFactory()
    assert call.interview_size == 0 and not call.has_interviews
    call.interview_size = 8
    call.shortlist_locked_at = call.review_deadline
    assert phases.call_phase(call, now=call.review_deadline) == Phase.INTERVIEWS
    assert phases.interviewing(call) and not phases.ready_for_offers(call)
    assert "run the final ranking and lock it" in phases.next_step(call, now=call.review_deadline)
    call.final_ranking_locked_at = call.review_deadline + dt.timedelta(days=10)
    assert phases.ready_for_offers(call) and not phases.interviewing(call)
    assert "Send the offers" in phases.next_step(call, now=call.review_deadline)


def test_booking_closes_and_scoring_closes_in_the_calls_zone():
    call = CallFactory(interview_size=8, interview_scoring_closes_after_hours=48)
    call.shortlist_locked_at = call.review_deadline
    call.interview_booking_closes_at = call.review_deadline + dt.timedelta(days=5)
    assert phases.interview_booking_open(call, now=call.interview_booking_closes_at - dt.timedelta(seconds=1))
    assert not phases.interview_booking_open(call, now=call.interview_booking_closes_at)
    # The last interview ends at 17:30 Paris time on 10 March: scoring closes 48 h after that day
    # ends, at midnight on 13 March, Paris time.
    last = dt.datetime(2027, 3, 10, 17, 30, tzinfo=PARIS)
    closes = phases.interview_scoring_closes_at(call, last)
    assert closes == dt.datetime(2027, 3, 13, 0, 0, tzinfo=PARIS)
    assert not phases.interview_scoring_closed(call, last, now=closes - dt.timedelta(seconds=1))
    assert phases.interview_scoring_closed(call, last, now=closes)
    assert phases.interview_scoring_closes_at(call, None) is None
