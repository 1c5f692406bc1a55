"""A Redis that is down, and how to use one in a test (works without any Redis running)."""

import socket


def dead_redis_url() -> str:
    """A Redis address on this machine where nothing listens: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def kill_cache(settings):
    """The production cache backend and session engine (Django's cached_db), on a Redis that is down."""
    settings.CACHES = {"default": {"BACKEND": "core.redis_cache.RedisCache", "LOCATION": dead_redis_url()}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
