import pytest

from cohorts.models import ACTIVE_OFFER_STATUSES, Offer


def assert_cohort_within_size(call):
    """The invariant the issue asks for: accepted + pending never above cohort_size, seats distinct."""
    active = list(Offer.objects.filter(call=call, status__in=ACTIVE_OFFER_STATUSES).values_list("seat", flat=True))
    assert len(active) <= call.cohort_size
    assert len(set(active)) == len(active)
    assert all(1 <= seat <= call.cohort_size for seat in active)


@pytest.fixture
def cohort_invariant():
    return assert_cohort_within_size
