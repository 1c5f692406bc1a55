import pytest

from accelerator import health

pytestmark = pytest.mark.django_db


def test_healthy(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "not configured"}


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


@pytest.mark.skipif(not __import__("os").environ.get("REDIS_URL"), reason="REDIS_URL not set: no real broker")
def test_real_broker_is_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
