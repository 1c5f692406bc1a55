import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.calls import CallFactory

pytestmark = pytest.mark.django_db


def closed_call(**kwargs):
    now = timezone.now()
    return CallFactory(opens_at=now - dt.timedelta(days=60), closes_at=now - dt.timedelta(days=30), **kwargs)


def test_home_lists_open_and_upcoming_calls_with_paris_deadline(client):
    open_call = CallFactory(title="Open call")
    CallFactory(title="Future call", opens_at=timezone.now() + dt.timedelta(days=3))
    closed_call(title="Old call")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    current, archive = html.split("Past calls")
    assert "Open call" in current and "Future call" in current
    assert "Old call" in archive
    assert "Paris time" in current
    assert open_call.closes_at.isoformat() in current
    assert "left" in current
    assert "Opening soon" in current


def test_call_page_shows_partners_timeline_eligibility(client):
    call = CallFactory(description="We fund **open** models.<script>alert(1)</script>")
    call.partners.create(name="Hugging Face", website="https://huggingface.co/", role="Hub access")
    response = client.get(call.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hugging Face" in html and "Hub access" in html
    assert "<strong>open</strong>" in html
    assert "<script>alert(1)" not in html
    assert "France" in html and "Norway" in html
    assert "Application deadline" in html and "Paris time" in html
    assert "Open for applications" in html


def test_closed_call_stays_visible_as_archive(client):
    call = closed_call()
    response = client.get(call.get_absolute_url())
    assert response.status_code == 200
    assert "Applications closed" in response.content.decode()


def test_unknown_slug_is_404(client):
    assert client.get("/calls/does-not-exist/").status_code == 404


def test_call_page_in_french(client):
    call = CallFactory()
    response = client.get(call.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert "Date limite de candidature" in html
    assert "heure de Paris" in html


def test_home_query_count_is_bounded(client, django_assert_max_num_queries):
    for _ in range(3):
        CallFactory()
    with django_assert_max_num_queries(4):
        client.get(reverse("home"))
    for _ in range(20):
        CallFactory()
    with django_assert_max_num_queries(4):
        client.get(reverse("home"))
