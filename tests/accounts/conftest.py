import pytest


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # allauth keeps rate-limit counters in the cache, which outlives a single test.
    settings.ACCOUNT_RATE_LIMITS = False
