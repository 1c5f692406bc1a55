"""A call's phase: from its dates first, then from the organisers' recorded steps."""

import datetime as dt

import pytest

from calls import phases
from calls.models import Call
from calls.phases import Phase, call_phase
from calls.selectors import calls_due_for_the_automatic_shortlist, calls_with_reviews_open, open_calls
from tests.factories.calls import CallFactory

TICK = dt.timedelta(microseconds=1)


def test_phase_follows_the_dates_at_each_instant():
    call = CallFactory.build()
    assert call_phase(call, now=call.opens_at - TICK) == Phase.UPCOMING
    assert call_phase(call, now=call.opens_at) == Phase.OPEN
    assert call_phase(call, now=call.closes_at - TICK) == Phase.OPEN
    # The deadline instant itself is closed: "until 23:59" means nothing at 23:59:00.000.
    assert call_phase(call, now=call.closes_at) == Phase.UNDER_REVIEW
    assert call_phase(call, now=call.review_deadline + dt.timedelta(days=30)) == Phase.UNDER_REVIEW


def test_phase_follows_the_organisers_steps_in_order():
    call = CallFactory.build()
    after = call.review_deadline + dt.timedelta(days=1)
    call.shortlist_locked_at = after
    assert call_phase(call, now=after) == Phase.SHORTLIST_LOCKED
    call.offers_sent_at = after
    assert call_phase(call, now=after) == Phase.OFFERS_OUT
    call.decided_at = after + dt.timedelta(days=10)
    assert call_phase(call, now=call.decided_at - TICK) == Phase.OFFERS_OUT
    assert call_phase(call, now=call.decided_at) == Phase.DECIDED
    assert list(Phase) == list(phases.PHASE_ORDER)


def test_predicates_at_the_deadlines():
    call = CallFactory.build()
    assert phases.is_upcoming(call, now=call.opens_at - TICK)
    assert phases.is_open(call, now=call.closes_at - TICK)
    assert not phases.is_open(call, now=call.closes_at)
    assert not phases.applications_closed(call, now=call.closes_at - TICK)
    assert phases.applications_closed(call, now=call.closes_at)
    assert not phases.reviews_closed(call, now=call.review_deadline - TICK)
    assert phases.reviews_closed(call, now=call.review_deadline)
    # A locked shortlist closes the reviews too: nothing written after it could change the decision.
    call.shortlist_locked_at = call.closes_at
    assert phases.reviews_closed(call, now=call.closes_at + TICK)


@pytest.mark.django_db
def test_querysets_agree_with_the_predicates():
    call = CallFactory()
    moments = [
        call.opens_at - TICK,
        call.opens_at,
        call.closes_at - TICK,
        call.closes_at,
        call.review_deadline - TICK,
        call.review_deadline,
    ]
    for now in moments:
        assert open_calls(now).filter(pk=call.pk).exists() == phases.is_open(call, now=now)
        assert calls_with_reviews_open(now).filter(pk=call.pk).exists() == (
            not phases.is_upcoming(call, now=now) and not phases.reviews_closed(call, now=now)
        )
        assert calls_due_for_the_automatic_shortlist(now).filter(pk=call.pk).exists() == (
            phases.review_deadline_passed(call, now=now)
        )
    Call.objects.filter(pk=call.pk).update(shortlist_locked_at=call.closes_at)
    assert not calls_with_reviews_open(call.closes_at + TICK).filter(pk=call.pk).exists()


@pytest.mark.django_db
def test_a_deadline_moved_later_after_the_lock_reopens_nothing():
    call = CallFactory()
    assert phases.is_open(call) and open_calls().filter(pk=call.pk).exists()
    Call.objects.filter(pk=call.pk).update(shortlist_locked_at=call.opens_at)
    call.refresh_from_db()
    assert call_phase(call) == Phase.SHORTLIST_LOCKED
    assert not phases.is_open(call) and not call.is_open
    assert not open_calls().filter(pk=call.pk).exists()
