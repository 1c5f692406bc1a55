import datetime as dt

import pytest
from django.utils import timezone

from accelerator import health
from reminders.services import record_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def swept():
    record_sweep(duration_seconds=1.5)


@pytest.mark.usefixtures("swept")
def test_healthy(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "not configured",
        "sweep": "ok",
        "worker": "not configured",
    }


@pytest.mark.parametrize(
    ("minutes", "sweep", "status"), [(14, "ok", "ok"), (16, "stale: last completed 16 minutes ago", "degraded")]
)
def test_a_sweep_older_than_fifteen_minutes_is_degraded_but_still_serving(client, settings, minutes, sweep, status):
    settings.REDIS_URL = ""
    record_sweep(duration_seconds=2.0, now=timezone.now() - dt.timedelta(minutes=minutes, seconds=5))
    response = client.get("/healthz")
    assert response.status_code == 200  # a load balancer keeps the machine: pages still work
    assert (response.json()["status"], response.json()["sweep"]) == (status, sweep)


def test_no_sweep_ever_completed_is_degraded(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["sweep"]) == ("degraded", "never completed")


def test_database_down_is_503(client, monkeypatch):
    monkeypatch.setattr(health, "check_database", lambda: "error: OperationalError")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"
    assert response.json()["status"] == "error"


def test_broker_unreachable_is_503(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


@pytest.mark.usefixtures("swept")
@pytest.mark.skipif(not __import__("os").environ.get("REDIS_URL"), reason="REDIS_URL not set: no real broker")
def test_real_broker_is_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


class FakeRedis:
    def __init__(self):
        self.values = {}

    def ping(self):
        return True

    def set(self, key, value, ex=None):
        self.values[key] = value.encode()

    def get(self, key):
        return self.values.get(key)


@pytest.fixture
def fake_redis(settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    fake = FakeRedis()
    monkeypatch.setattr(health, "_redis", lambda: fake)
    health._heartbeat_client.cache_clear()
    yield fake
    health._heartbeat_client.cache_clear()


@pytest.mark.usefixtures("swept", "fake_redis")
def test_no_worker_heartbeat_is_degraded_but_still_serving(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["worker"]) == ("degraded", "no heartbeat")


@pytest.mark.usefixtures("swept", "fake_redis")
@pytest.mark.parametrize(
    ("age", "worker", "status"), [(3, "ok", "ok"), (25, "stale: last heartbeat 25 s ago", "degraded")]
)
def test_worker_heartbeat_age(client, age, worker, status):
    import time

    health.record_worker_heartbeat(now=time.time() - age)
    response = client.get("/healthz")
    assert (response.json()["status"], response.json()["worker"]) == (status, worker)


@pytest.mark.usefixtures("swept")
def test_a_worker_heartbeat_signal_records_it(client, fake_redis):
    from celery.signals import heartbeat_sent

    import accelerator.celery  # noqa: F401 - connects the handler, as in a worker

    heartbeat_sent.send(sender=None)
    assert health.WORKER_HEARTBEAT_KEY in fake_redis.values
    assert client.get("/healthz").json()["worker"] == "ok"
