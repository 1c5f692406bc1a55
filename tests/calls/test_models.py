import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tests.factories.calls import CallFactory, CriterionFactory

pytestmark = pytest.mark.django_db
TICK = dt.timedelta(microseconds=1)


def test_open_window_excludes_the_deadline():
    call = CallFactory.build()
    assert call.is_open_at(call.closes_at - TICK)
    assert not call.is_open_at(call.closes_at)
    assert not call.is_open_at(call.opens_at - TICK)


def test_default_eligibility_is_eu_eea():
    call = CallFactory()
    codes = {c.code for c in call.eligible_countries}
    assert {"FR", "DE", "NO", "IS", "LI"} <= codes
    assert "US" not in codes and "GB" not in codes
    assert len(codes) == 30


@pytest.mark.parametrize(
    "changes",
    [
        {"closes_at_offset": dt.timedelta(days=-30)},  # closes before it opens
        {"closes_at_offset": dt.timedelta(0)},  # opens_at == closes_at
        {"review_offset": dt.timedelta(seconds=-1)},  # review deadline before closing
    ],
)
def test_database_rejects_bad_dates(changes):
    call = CallFactory.build()
    if "closes_at_offset" in changes:
        call.closes_at = call.opens_at + changes["closes_at_offset"]
    if "review_offset" in changes:
        call.review_deadline = call.closes_at + changes["review_offset"]
    with pytest.raises(IntegrityError), transaction.atomic():
        call.save()


def test_review_deadline_may_equal_closing():
    call = CallFactory.build()
    call.review_deadline = call.closes_at
    call.save()


def test_database_rejects_empty_cohort_and_zero_weight():
    call = CallFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CallFactory(cohort_size=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionFactory(call=call, weight=0)


def test_slug_is_unique():
    CallFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        CallFactory(slug="same")
