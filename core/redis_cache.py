"""Django's Redis cache, as an optimisation only: a Redis that does not answer is a cache that holds
nothing, never an error page.

Sessions (Django's cached_db) and call descriptions go through it. With Redis down, a read finds
nothing (the session is read from the database) and a write is dropped; both are logged. After a
failure this process leaves Redis alone for RETRY_AFTER_SECONDS: a Redis that does not answer would
otherwise cost its socket timeout (2 s, see settings) on every cache call. Deletes are tried even
then: a session ended while Redis was unreachable must not come back with it.

Also: one client object per connection pool instead of one per operation (Django's
RedisCacheClient.get_client() builds a new redis.Redis for every call, which costs about 0.2 ms of
CPU with redis-py 8, more than the round trip; a redis.Redis is safe to share between threads), and
no check of keys against memcached's limits, which Redis does not have.
"""

import logging
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    # Until when (time.monotonic()) this process leaves Redis alone after a failure.
    down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def validate_key(self, key):
        # Django checks every key, character by character, against memcached's limits (length,
        # spaces, control characters) and warns; Redis has none of them.
        pass

    def _try(self, operation, call, *args, fallback=None, always=False, **kwargs):
        if not always and time.monotonic() < RedisCache.down_until:
            return fallback
        try:
            return call(*args, **kwargs)
        except redis.RedisError as exc:  # connection refused, timeout, Redis loading or read-only
            RedisCache.down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("cache unavailable (%s), not used for %d s: %s", operation, RETRY_AFTER_SECONDS, exc)
            return fallback

    def get(self, key, default=None, version=None):
        return self._try("get", super().get, key, default, version, fallback=default)

    def get_many(self, keys, version=None):
        return self._try("get", super().get_many, keys, version, fallback={})

    def has_key(self, key, version=None):
        return self._try("get", super().has_key, key, version, fallback=False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("add", super().add, key, value, timeout, version, fallback=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._try("set", super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("set", super().set_many, data, timeout, version, fallback=list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("touch", super().touch, key, timeout, version, fallback=False)

    def delete(self, key, version=None):
        return self._try("delete", super().delete, key, version, fallback=False, always=True)

    def delete_many(self, keys, version=None):
        self._try("delete", super().delete_many, keys, version, always=True)
