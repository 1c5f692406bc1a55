"""Sessions read from the cache and written through to the database (Django's cached_db), with a
cache that does not answer costing a database read instead of an error page.

Used when REDIS_URL is set (see settings): a cache shared by every web process. A per-process
cache would let a session signed out in one process live on in another.
"""

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
            reachable = True
        except Exception as exc:  # noqa: BLE001 - any cache failure: read the database
            logger.warning("session cache unavailable (get): %s", exc)
            data, reachable = None, False
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        if reachable:
            try:
                self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
            except Exception as exc:  # noqa: BLE001
                logger.warning("session cache unavailable (set): %s", exc)
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception as exc:  # noqa: BLE001
            logger.warning("session cache unavailable (exists): %s", exc)
        return DBStore.exists(self, session_key)

    def delete(self, session_key=None):
        DBStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            # The database row is gone; a copy left in an unreachable cache could come back with it.
            logger.exception("session cache unavailable (delete): session %s… may outlive its end", session_key[:6])
