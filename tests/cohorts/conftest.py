import datetime as dt

import pytest
from django.utils import timezone

from cohorts.models import ACTIVE_OFFER_STATUSES, Offer
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory
from tests.factories.reviews import AssignmentFactory, ReviewerFactory, ReviewFactory


@pytest.fixture
def call(db):
    """A call whose review deadline has just passed, cohort of 2 so cases stay small."""
    now = timezone.now()
    return CallFactory(
        opens_at=now - dt.timedelta(days=40),
        closes_at=now - dt.timedelta(days=20),
        review_deadline=now - dt.timedelta(hours=1),
        cohort_size=2,
        min_reviews=2,
    )


@pytest.fixture
def organiser(db):
    return UserFactory(is_staff=True, is_superuser=True, first_name="Olivia", language="en")


@pytest.fixture
def reviewers(db):
    return [ReviewerFactory() for _ in range(3)]


def submitted(call, name, minutes=0):
    """A submitted application; `minutes` after a fixed moment, for tie-breaks by submission."""
    base = call.closes_at - dt.timedelta(days=1)
    return ApplicationFactory(
        call=call, submitted=True, startup_name=name, submitted_at=base + dt.timedelta(minutes=minutes)
    )


def review(application, reviewer, score, **kwargs):
    return ReviewFactory(
        assignment=AssignmentFactory(application=application, reviewer=reviewer), weighted_score=score, **kwargs
    )


def assert_cohort_within_size(call):
    """The invariant the issue asks for: accepted + pending never above cohort_size, seats distinct."""
    active = list(Offer.objects.filter(call=call, status__in=ACTIVE_OFFER_STATUSES).values_list("seat", flat=True))
    assert len(active) <= call.cohort_size
    assert len(set(active)) == len(active)
    assert all(1 <= seat <= call.cohort_size for seat in active)


@pytest.fixture
def cohort_invariant():
    return assert_cohort_within_size
