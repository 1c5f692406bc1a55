import datetime as dt

import pytest

from tests.factories.calls import CallFactory

# 23:59 in Paris (CET) on 10 March 2031.
CLOSES = dt.datetime(2031, 3, 10, 22, 59, tzinfo=dt.UTC)
REVIEWS_DUE = dt.datetime(2031, 3, 31, 16, 0, tzinfo=dt.UTC)


def hours_before(moment: dt.datetime, hours: float) -> dt.datetime:
    return moment - dt.timedelta(hours=hours)


@pytest.fixture
def call(db):
    return CallFactory(
        title="AI Startup Programme",
        opens_at=CLOSES - dt.timedelta(days=40),
        closes_at=CLOSES,
        review_deadline=REVIEWS_DUE,
    )
