"""Sessions read from the cache and written through to the database (Django's cached_db), with a
cache that does not answer costing a database read instead of an error page.

load_with() reads the session together with other entries of the same cache, in one round trip
(accounts.user_cache reads the signed-in user with it).

Used when REDIS_URL is set (see settings): a cache shared by every web process. A per-process
cache would let a session signed out in one process live on in another.
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.cache import DEFAULT_CACHE_ALIAS

from core import cache

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self):
        data = None
        if cache.available():
            try:
                data = self._cache.get(self.cache_key)
            except Exception as exc:  # noqa: BLE001 - any cache failure: read the database
                cache.failed("session get", exc)
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        if cache.available():
            try:
                self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
            except Exception as exc:  # noqa: BLE001
                cache.failed("session set", exc)
        return data

    def load_with(self, keys: list[str]) -> dict | None:
        """Loads the session from the cache in the same round trip as `keys` (of the default cache)
        and returns what was found of those; None, having loaded nothing, when the session is not
        in the cache or the cache does not answer: it then loads as usual when first read."""
        if (
            settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS  # then core.cache is not ours
            or not self.session_key
            or hasattr(self, "_session_cache")  # already loaded
        ):
            return None
        try:
            found = cache.get_many([self.cache_key, *keys])
        except cache.Unavailable:
            return None
        data = found.pop(self.cache_key, None)
        if data is None:
            return None
        self._session_cache = data  # what SessionBase._get_session keeps once loaded
        return found

    def exists(self, session_key):
        if session_key and cache.available():
            try:
                if (self.cache_key_prefix + session_key) in self._cache:
                    return True
            except Exception as exc:  # noqa: BLE001
                cache.failed("session exists", exc)
        return DBStore.exists(self, session_key)

    def save(self, must_create=False):
        DBStore.save(self, must_create)
        # Tried even while the cache is left alone after a failure: a copy older than the database
        # would come back with the cache. Writes are rare (sign-in, staff activity once a minute).
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except Exception as exc:
            cache.failed("session set", exc)
            logger.exception("session %s… may be stale in the cache", self.session_key[:6])

    def delete(self, session_key=None):
        DBStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:  # even while the cache is left alone after a failure: an ended session must not stay
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception as exc:
            cache.failed("session delete", exc)
            # The database row is gone; a copy left in an unreachable cache could come back with it.
            logger.exception("session %s… may outlive its end in the cache", session_key[:6])
