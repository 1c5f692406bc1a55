"""core.redis_cache: Django's Redis cache, one client per pool, keys not held to memcached's
limits (which Redis does not have)."""

import warnings

import pytest
from django.conf import settings
from django.core.cache import caches

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: set REDIS_URL")


def test_keys_memcached_would_refuse_work_without_a_warning():
    cache = caches["default"]
    long_key = "page:application:1:" + "x" * 300  # memcached's limit is 250 characters
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cache.set_many({long_key: "a", "with space": "b"}, 30)
        assert cache.get_many([long_key, "with space"]) == {long_key: "a", "with space": "b"}
    cache.delete_many([long_key, "with space"])


def test_one_client_per_connection_pool():
    cache = caches["default"]
    assert cache._cache.get_client("a") is cache._cache.get_client("b")
