import fcntl
import uuid

import pytest
from django.core.cache import caches

from core.redis_cache import RedisCache
from tests.storage_helpers import s3_endpoint, use_s3  # noqa: F401 - s3_endpoint is a fixture


@pytest.fixture(autouse=True)
def _broker_to_itself(request, tmp_path_factory, worker_id):
    """`make test` runs on several processes (pytest-xdist). The tests marked `redis` start a real
    Celery worker on the run's one Redis queue: a worker started by one process would take another
    process's tasks, so they take turns, behind a lock file shared by the processes of this run.

    (xdist's own `--dist loadgroup` cannot do it: it renames test ids in a way pytest 9.2 ignores.)"""
    if worker_id == "master" or not request.node.get_closest_marker("redis"):
        yield
        return
    lock = tmp_path_factory.getbasetemp().parent / "celery-broker.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(params=["local", "s3"])
def deck_storage(request, settings):
    """Runs a test twice: decks in the local folder, then in a private bucket on a real S3 API server
    on loopback (tests.storage_helpers). Use it on every test that stores, reads or deletes decks."""
    if request.param == "s3":
        use_s3(settings, request.getfixturevalue("s3_endpoint"))
    return request.param


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test gets cache keys of its own: cached sessions would otherwise outlive their test."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        alias: {**conf, "KEY_PREFIX": f"{conf.get('KEY_PREFIX', '')}{prefix}"}
        for alias, conf in settings.CACHES.items()
    }
    cache = caches["default"]
    RedisCache.down_until = 0.0  # a test that killed the cache must not leave it skipped
    yield
    client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client is not None:  # Redis: leave nothing behind
        try:
            redis = client(write=True)
            keys = list(redis.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
            if keys:
                redis.delete(*keys)
        except Exception:  # noqa: BLE001 - the test may have pointed the cache at a dead server
            pass


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a page served in French to an earlier test must not
    leave French active, or texts given to factories (a call's title) would be stored as French."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
