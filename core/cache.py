"""The cache as an optimisation only: when it does not answer, pages are built from the database.

Every read or write here swallows (and logs) cache errors: with Redis down the portal is slower,
never broken (tests/mail/test_faults.py points the cache at a dead port). After a failure this
process leaves the cache alone for RETRY_AFTER_SECONDS: a Redis that does not answer would
otherwise cost its socket timeout (2 s) on each of the few cache calls of every request.

Generations: data that many cached entries depend on (the public calls, one application) has a
random token in the cache, and entries remember the token they were built with. A change (a model
signal, inside the writer's transaction) replaces the token with a "changing" mark for
SETTLE_SECONDS: entries built before no longer match, and nothing is stored while the mark is
there, because a reader could still see the rows as they were before the writer commits. When the
mark expires, the next reader starts a new generation and pages are stored again. This needs no
commit hook, and it holds as long as a transaction commits within SETTLE_SECONDS of its change.
"""

import logging
import math
import time
import uuid

from django.core.cache import cache

logger = logging.getLogger(__name__)

# A token outlives the entries it guards; when one expires, every entry built with it is rebuilt.
GENERATION_SECONDS = 7 * 24 * 3600
# How long after a change nothing built from the changed data is stored.
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


# Where a request keeps what it read ahead (see keep_read_ahead).
READ_AHEAD = "_cache_read_ahead"


def keep_read_ahead(request, keys, found: dict) -> None:
    """Keeps what one get_many found (or not) for keys, for get_many_read_ahead later in the same
    request: a read that rode along with an earlier one saves its own round trip."""
    setattr(request, READ_AHEAD, {key: found.get(key) for key in keys})


def get_many_read_ahead(request, keys: list[str]) -> dict:
    """get_many(keys), answered from what this request read ahead when that holds every key (each
    key answers once): the values as they were a few milliseconds earlier in the same request,
    which is what a slightly slower request would have read anyway."""
    ahead = getattr(request, READ_AHEAD, None)
    if ahead and all(key in ahead for key in keys):
        values = [ahead.pop(key) for key in keys]
        return {key: value for key, value in zip(keys, values, strict=True) if value is not None}
    return get_many(keys)


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


def start_generation(key: str) -> str | None:
    """A new token where none is (never set, settled after a change, or evicted): the token, or
    None when another process started one first."""
    token = uuid.uuid4().hex
    return token if add(key, token, GENERATION_SECONDS) else None
