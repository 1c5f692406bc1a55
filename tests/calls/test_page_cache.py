"""The landing page from the cache: the same page as rendered, changes shown at once, per visitor."""

import datetime as dt
from unittest import mock

import markdown
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from calls import caching
from calls.models import Call
from core import cache as accelerator_cache
from tests.cache_helpers import DeadCache, csrf_token_in, kill_cache, settle
from tests.factories.accounts import UserFactory
from tests.factories.calls import CallFactory, CriterionFactory

pytestmark = pytest.mark.django_db

HOME = "/"


def home(client, **headers) -> str:
    response = client.get(HOME, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_second_visit_is_served_without_a_query_and_reads_the_same(client, django_assert_num_queries):
    CallFactory(title="Open call")
    settle(caching.PUBLIC_CALLS)
    first = home(client)
    with django_assert_num_queries(0):
        second = home(Client())
    assert "Open call" in second
    assert first.replace(csrf_token_in(first), "") == second.replace(csrf_token_in(second), "")


def test_a_changed_call_text_shows_at_once(client, django_assert_num_queries):
    call = CallFactory(title="Old title", summary="Old summary")
    settle(caching.PUBLIC_CALLS)
    home(client)
    with django_assert_num_queries(0):
        assert "Old title" in home(client)  # from the cache
    call.title, call.summary = "New title", "New summary"
    call.save()
    html = home(client)
    assert "New title" in html and "New summary" in html and "Old title" not in html


def test_new_and_deleted_calls_show_at_once(client):
    home(client)
    call = CallFactory(title="Brand new call")
    assert "Brand new call" in home(client)
    call.delete()
    assert "Brand new call" not in home(client)


@pytest.mark.parametrize("change", ["partner", "criterion"])
def test_a_partner_or_criterion_change_renews_the_public_calls(change):
    call = CallFactory()
    from django.core.cache import cache

    cache.set(caching.PUBLIC_CALLS, "before")
    if change == "partner":
        call.partners.create(name="Scaleway")
    else:
        CriterionFactory(call=call)
    assert cache.get(caching.PUBLIC_CALLS) != "before"


def test_an_upcoming_call_opens_on_time():
    opens = timezone.now().replace(microsecond=0) + dt.timedelta(minutes=30)
    CallFactory(title="Soon", opens_at=opens, closes_at=opens + dt.timedelta(days=20))
    settle(caching.PUBLIC_CALLS)
    client = Client()
    with time_machine.travel(opens - dt.timedelta(seconds=1), tick=False):
        assert "Opening soon" in home(client)
        assert "Opening soon" in home(client)
    with time_machine.travel(opens, tick=False):
        html = home(client)
    assert "Open for applications" in html and "Opening soon" not in html


def test_time_left_ticks_over_and_the_deadline_closes_the_call():
    closes = timezone.now().replace(microsecond=0) + dt.timedelta(hours=2)
    CallFactory(title="Closing", opens_at=closes - dt.timedelta(days=20), closes_at=closes)
    settle(caching.PUBLIC_CALLS)
    client = Client()
    with time_machine.travel(closes - dt.timedelta(minutes=10, seconds=30), tick=False):
        assert "10\xa0minutes left" in home(client)
    with time_machine.travel(closes - dt.timedelta(minutes=10, seconds=1), tick=False):
        assert "10\xa0minutes left" in home(client)  # from the cache
    with time_machine.travel(closes - dt.timedelta(minutes=9, seconds=59), tick=False):
        assert "9\xa0minutes left" in home(client)  # timeuntil counts whole minutes
    with time_machine.travel(closes, tick=False):
        html = home(client)
    current, archive = html.split('id="archive-heading"')
    assert "Closing" in archive and "Closing" not in current and "left</strong>" not in html


def test_each_visitor_gets_their_own_csrf_token_that_works():
    CallFactory()
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        token = csrf_token_in(home(visitor))
        tokens.append(token)
        response = visitor.post(reverse("set_language"), {"language": "fr", "next": "/", "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert "Appels" in home(visitor) or "appel" in home(visitor).lower()
    assert tokens[0] != tokens[1]


def test_signed_in_visitors_never_get_someone_elses_page(client):
    CallFactory()
    ada = UserFactory(email="ada@example.com", username="ada@example.com")
    grace = UserFactory(email="grace@example.com", username="grace@example.com", is_staff=True)
    client.force_login(ada)
    assert "ada@example.com" in home(client)
    assert "ada@example.com" in home(client)
    other = Client()
    other.force_login(grace)
    html = home(other)
    assert "grace@example.com" in html and "ada@example.com" not in html
    assert reverse("admin:index") in html
    anonymous = home(Client())
    assert "ada@example.com" not in anonymous and "grace@example.com" not in anonymous
    assert reverse("account_login") in anonymous and "Log out" not in anonymous


def test_an_account_change_shows_in_the_navigation_at_once(client):
    CallFactory()
    ada = UserFactory(email="ada@example.com", username="ada@example.com")
    client.force_login(ada)
    assert "ada@example.com" in home(client)
    ada.email = "lovelace@example.com"
    ada.save()
    assert "lovelace@example.com" in home(client)


def test_languages_are_kept_apart():
    CallFactory()
    client = Client()
    assert "Open and upcoming calls" in home(client)
    french = home(Client(), HTTP_ACCEPT_LANGUAGE="fr")
    assert 'lang="fr"' in french and "Open and upcoming calls" not in french
    assert "Open and upcoming calls" in home(client)


def test_a_waiting_message_is_shown_once_and_not_cached(client, django_assert_num_queries):
    CallFactory()
    settle(caching.PUBLIC_CALLS)
    home(Client())
    with django_assert_num_queries(0):
        home(Client())  # anonymous visitors get the cached page
    client.force_login(UserFactory())
    response = client.post(reverse("account_logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "You have signed out." in response.content.decode()
    assert "You have signed out." not in home(client)


def test_query_strings_are_rendered_not_cached(client):
    CallFactory()
    html = home(client, QUERY_STRING="utm_source=newsletter")
    assert 'value="/?utm_source=newsletter"' in html
    assert 'value="/?utm_source=newsletter"' not in home(client)


def test_the_landing_page_works_with_the_cache_down(client, settings):
    kill_cache(settings)
    CallFactory(title="Still here")
    assert "Still here" in home(client)
    Call.objects.update(title="Changed while the cache is down")
    assert "Changed while the cache is down" in home(client)


def test_after_a_failure_the_cache_is_left_alone_for_a_while(client, settings, monkeypatch):
    CallFactory()
    kill_cache(settings)
    DeadCache.calls = 0
    for _ in range(3):
        home(client)
    assert DeadCache.calls == 1  # a Redis that hangs would cost its timeout once, not on every call
    monkeypatch.setattr(accelerator_cache, "_down_until", 0.0)  # RETRY_AFTER_SECONDS later
    home(client)
    assert DeadCache.calls == 2


def test_call_descriptions_are_rendered_once_and_an_edit_shows_at_once(client):
    call = CallFactory(description="We fund **open** models.<script>alert(1)</script>")
    with mock.patch("calls.templatetags.portal.markdown.markdown", wraps=markdown.markdown) as render:
        for _ in range(3):
            html = client.get(call.get_absolute_url()).content.decode()
            assert "<strong>open</strong>" in html and "<script>alert(1)" not in html
    assert render.call_count == 1
    call.description = "Now **closed** models."
    call.save()
    html = client.get(call.get_absolute_url()).content.decode()
    assert "<strong>closed</strong>" in html and "open</strong>" not in html
