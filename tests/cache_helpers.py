"""A cache that never answers, and how to use one in a test."""

from django.core.cache.backends.base import BaseCache


class DeadCache(BaseCache):
    """Every operation fails as a Redis that is down does; `calls` counts the attempts."""

    calls = 0

    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        DeadCache.calls += 1
        raise ConnectionError("cache down (tests.cache_helpers.DeadCache)")

    add = get = set = touch = delete = has_key = clear = get_many = set_many = delete_many = incr = _fail


def kill_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "tests.cache_helpers.DeadCache"}}
