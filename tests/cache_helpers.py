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


def settle(*keys):
    """As if SETTLE_SECONDS had passed since the last change marked these generations (core.cache)."""
    from django.core.cache import cache

    cache.delete_many(list(keys))


def kill_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "tests.cache_helpers.DeadCache"}}


def csrf_token_in(html: str) -> str:
    import re

    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 1, tokens
    return tokens.pop()
