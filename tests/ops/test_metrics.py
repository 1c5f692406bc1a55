"""/metrics: off by default, protected, and what an operator reads there."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from mail.models import OutboxStatus
from ops.metrics import timed_caches
from reminders.services import record_sweep
from reviews.services.summaries import refresh_summaries
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory
from tests.factories.mail import OutboxMessageFactory
from tests.factories.reviews import AssignmentFactory, ReviewFactory

pytestmark = pytest.mark.django_db
TOKEN = "scrape-token-0123456789"


@pytest.fixture
def metrics_on(settings):
    """What METRICS_TOKEN does in accelerator/settings.py: the endpoint, and requests, queries and
    cache calls timed."""
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ENABLED = True
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "ops.metrics.RequestMetricsMiddleware",
        *settings.MIDDLEWARE[1:],
    ]
    settings.CACHES = timed_caches(settings.CACHES)


def scrape(client, **headers):
    return client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}", **headers})


def samples(response) -> dict:
    """{(name, frozenset(labels)): value} from the text format."""
    text = response.content.decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_off_by_default_the_endpoint_does_not_exist(client, settings):
    assert settings.METRICS_TOKEN == "" and settings.METRICS_ALLOWED_IPS == []
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer anything"}).status_code == 404


@pytest.mark.usefixtures("metrics_on")
def test_a_scrape_needs_the_token(client):
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong-token-0123456789"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 403  # not a bearer token
    response = scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")


def test_or_an_allowed_address(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8", "192.0.2.7"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.8").status_code == 403
    # The address a client claims in a header is not the one that counts.
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.8", HTTP_X_FORWARDED_FOR="10.0.0.1").status_code == 403


@pytest.mark.usefixtures("metrics_on")
def test_the_portal_gauges(client):
    now = timezone.now()
    OutboxMessageFactory(status=OutboxStatus.PENDING)
    OutboxMessageFactory(status=OutboxStatus.PENDING)
    OutboxMessageFactory(status=OutboxStatus.FAILED)
    OutboxMessageFactory(status=OutboxStatus.SENT, sent_at=now)
    from mail.models import OutboxMessage

    OutboxMessage.objects.filter(status=OutboxStatus.PENDING).update(created_at=now - dt.timedelta(minutes=42))
    open_call = CallFactory(slug="open-call")
    ApplicationFactory.create_batch(2, call=open_call)
    ApplicationFactory(call=open_call, submitted=True)
    closed = CallFactory(
        slug="past", opens_at=now - dt.timedelta(days=400), closes_at=now - dt.timedelta(days=300),
        review_deadline=now - dt.timedelta(days=290),
    )  # fmt: skip
    ApplicationFactory(call=closed)
    reviewed = ApplicationFactory(call=open_call, submitted=True)
    ReviewFactory(assignment=AssignmentFactory(application=reviewed))
    AssignmentFactory(application=reviewed)
    refresh_summaries([reviewed.pk])

    found = samples(scrape(client))

    assert found[("portal_outbox_messages", frozenset({("status", "pending")}))] == 2
    assert found[("portal_outbox_messages", frozenset({("status", "failed")}))] == 1
    assert 42 * 60 <= found[("portal_outbox_oldest_pending_age_seconds", frozenset())] < 43 * 60
    assert found[("portal_sweep_last_completed_age_seconds", frozenset())] == float("inf")
    by_status = {
        dict(labels)["status"]: value
        for (name, labels), value in found.items()
        if name == "portal_applications" and dict(labels)["call"] == "open-call"
    }
    assert by_status == {"draft": 2, "submitted": 2}
    assert not any(name == "portal_applications" and ("call", "past") in labels for name, labels in found)
    assert found[("portal_reviews", frozenset({("call", "open-call"), ("state", "done")}))] == 1
    assert found[("portal_reviews", frozenset({("call", "open-call"), ("state", "due")}))] == 1

    record_sweep(duration_seconds=3.0, now=now - dt.timedelta(minutes=4))
    age = samples(scrape(client))[("portal_sweep_last_completed_age_seconds", frozenset())]
    assert 4 * 60 <= age < 5 * 60


@pytest.mark.usefixtures("metrics_on")
def test_requests_by_view_and_database_and_cache_timings(client):
    def count(found, name, **labels):
        return found.get((name, frozenset(labels.items())), 0)

    before = samples(scrape(client))
    assert client.get("/").status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    after = samples(scrape(client))

    name = "portal_http_request_duration_seconds_count"
    assert (
        count(after, name, view="home", method="GET", status="200")
        == count(before, name, view="home", method="GET", status="200") + 1
    )
    assert count(after, name, view="<unresolved>", method="GET", status="404") >= 1
    assert count(after, "portal_db_query_duration_seconds_count", alias="default") > count(
        before, "portal_db_query_duration_seconds_count", alias="default"
    )
    cache_calls = {
        dict(labels)["operation"]: value
        for (metric, labels), value in after.items()
        if metric == "portal_cache_operation_duration_seconds_count" and ("alias", "default") in labels
    }
    cache.set("ops-test", 1)
    assert cache.get("ops-test") == 1
    final = samples(scrape(client))
    for operation in ("set", "get"):
        key = (
            "portal_cache_operation_duration_seconds_count",
            frozenset({("alias", "default"), ("operation", operation)}),
        )
        assert final[key] == cache_calls.get(operation, 0) + 1
