"""The cache as an optimisation only: when it does not answer, the caller works without it.

Every read or write here swallows (and logs) cache errors: with Redis down the portal is slower,
never broken (tests/mail/test_faults.py points the cache at a dead port). After a failure this
process leaves the cache alone for RETRY_AFTER_SECONDS: a Redis that does not answer would
otherwise cost its socket timeout (2 s) on each cache call of every request.
"""

import logging
import math
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

# How long after a change nothing built from the changed data is stored (accounts.user_cache).
SETTLE_SECONDS = 60
CHANGING = "changing"
RETRY_AFTER_SECONDS = 5

_down_until = 0.0


class Unavailable(Exception):
    """The cache did not answer; callers then neither trust nor fill it for this request."""


def available() -> bool:
    return time.monotonic() >= _down_until


def failed(operation: str, exc: Exception) -> None:
    global _down_until
    _down_until = time.monotonic() + RETRY_AFTER_SECONDS
    logger.warning("cache unavailable (%s), not used for %d s: %s", operation, RETRY_AFTER_SECONDS, exc)


def get_many(keys: list[str]) -> dict:
    """Found entries by key; raises Unavailable when the cache does not answer."""
    if not available():
        raise Unavailable
    try:
        return cache.get_many(keys)
    except Exception as exc:  # any client or connection error means "no cache"
        failed("get", exc)
        raise Unavailable from exc


def get(key: str):
    if not available():
        raise Unavailable
    try:
        return cache.get(key)
    except Exception as exc:
        failed("get", exc)
        raise Unavailable from exc


def put(key: str, value, seconds: float) -> None:
    if not available():
        return
    try:
        cache.set(key, value, max(1, math.ceil(seconds)))
    except Exception as exc:  # noqa: BLE001
        failed("set", exc)


def add(key: str, value, seconds: float) -> bool:
    """Stores value only where the key holds nothing; whether it did."""
    if not available():
        return False
    try:
        return bool(cache.add(key, value, max(1, math.ceil(seconds))))
    except Exception as exc:  # noqa: BLE001
        failed("add", exc)
        return False


def mark_changing(*keys: str) -> None:
    """What these keys hold is being changed: drop it, and store nothing for them for a while.

    Tried even while the cache is left alone after a failure: an entry that survives a change is
    worse than a slow write."""
    try:
        cache.set_many(dict.fromkeys(keys, CHANGING), SETTLE_SECONDS)
    except Exception as exc:  # noqa: BLE001
        failed("set", exc)


def is_settled(value) -> bool:
    """A value found under a key marked changing is the mark itself: not to be used or replaced."""
    return value is not None and value != CHANGING
