"""Call descriptions: Markdown rendered once per text (in the cache), and pages that work without it."""

from unittest import mock

import markdown
import pytest

from calls.models import Call
from core.redis_cache import RedisCache, SharedClientRedisCacheClient
from tests.cache_helpers import kill_cache
from tests.factories.calls import CallFactory

pytestmark = pytest.mark.django_db


def page(client, call) -> str:
    response = client.get(call.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_call_descriptions_are_rendered_once_and_an_edit_shows_at_once(client):
    call = CallFactory(description="We fund **open** models.<script>alert(1)</script>")
    with mock.patch("calls.templatetags.portal.markdown.markdown", wraps=markdown.markdown) as render:
        for _ in range(3):
            html = page(client, call)
            assert "<strong>open</strong>" in html and "<script>alert(1)" not in html
    assert render.call_count == 1
    call.description = "Now **closed** models."
    call.save()
    html = page(client, call)
    assert "<strong>closed</strong>" in html and "open</strong>" not in html


def test_public_pages_work_with_the_cache_down(client, settings):
    kill_cache(settings)
    call = CallFactory(title="Still here", description="Some **bold** text")
    assert "Still here" in client.get("/").content.decode()
    assert "<strong>bold</strong>" in page(client, call)
    Call.objects.update(title="Changed while the cache is down")
    assert "Changed while the cache is down" in client.get("/").content.decode()


def test_after_a_failure_the_cache_is_left_alone_for_a_while(client, settings, monkeypatch):
    call = CallFactory()
    kill_cache(settings)
    attempts = mock.Mock(wraps=SharedClientRedisCacheClient.get_client, autospec=True)
    monkeypatch.setattr(SharedClientRedisCacheClient, "get_client", lambda *a, **kw: attempts(*a, **kw))
    for _ in range(3):
        page(client, call)
    assert attempts.call_count == 1  # a Redis that hangs would cost its timeout once, not on every call
    monkeypatch.setattr(RedisCache, "down_until", 0.0)  # RETRY_AFTER_SECONDS later
    page(client, call)
    assert attempts.call_count == 2
