import pytest

from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # allauth keeps rate-limit counters in the cache, which outlives a single test.
    settings.ACCOUNT_RATE_LIMITS = False


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def founder():
    return UserFactory(first_name="Ada", last_name="Lovelace")


@pytest.fixture
def draft(call, founder):
    """An empty draft owned by `founder` on an open call."""
    return ApplicationFactory(call=call, owner=founder, startup_name="", website="", country="", city="")
