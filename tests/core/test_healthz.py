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
    assert response.json() == {"status": "ok", "database": "ok", "broker": "not configured", "sweep": "ok"}


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
