"""The application page's cache keys read in the same round trip as the signed-in user
(accelerator.pagecache.read_ahead, accounts.user_cache): one cache read fewer, same answers."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import resolve, reverse
from django.utils import translation

from accelerator import pagecache
from accounts import user_cache
from accounts.sessions import SessionStore
from applications import caching, views_founder
from applications.models import Membership
from applications.services import team
from calls import caching as call_caching
from core import cache as accelerator_cache
from tests.applications.helpers import url
from tests.cache_helpers import kill_cache, settle
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cached_sessions_and_users(settings):
    settings.SESSION_ENGINE = "accounts.sessions"
    settings.AUTH_USER_CACHE = True


@pytest.fixture
def cache_reads(monkeypatch):
    """Round trips to the cache, by method (a get_many the backend makes of gets counts once)."""
    backend = caches["default"]
    reads = {"get": 0, "get_many": 0}
    depth = [0]
    for name in reads:
        original = getattr(backend, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            reads[_name] += depth[0] == 0
            depth[0] += 1
            try:
                return _original(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(backend, name, counted)
    return reads


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    settle(*(user_cache.user_key(path, user.pk) for path in user_cache.settings.AUTHENTICATION_BACKENDS))
    return client


def served_from_cache(client, application):
    settle(*caching.generation_keys(application.pk))
    client.get(url("detail", application))  # stores the user and the page
    response = client.get(url("detail", application))
    assert response.status_code == 200
    assert response.context is None, "rendered, not served from the cache"
    return response


def test_the_pattern_is_the_page_path_in_the_urlconf():
    for pk in (1, 42, 1234567):
        path = reverse("applications:detail", args=[pk])
        match = caching_pattern().fullmatch(path)
        assert match and int(match["pk"]) == pk
        assert resolve(path).func is views_founder.detail
    for other in ("applications:edit", "applications:submit", "applications:deck", "applications:leave"):
        assert not caching_pattern().fullmatch(reverse(other, args=[7]))
    assert not caching_pattern().fullmatch(reverse("applications:list"))


def caching_pattern():
    (pattern,) = [pattern for pattern, keys_of in pagecache._read_ahead if keys_of is caching.keys_to_read_ahead]
    return pattern


def test_a_cached_page_costs_one_round_trip_to_the_cache(draft, cache_reads):
    client = signed_in(draft.owner)
    user_cache._signed_in.clear()  # a process that has not served this session yet
    served_from_cache(client, draft)
    cache_reads.update(get=0, get_many=0)
    user_cache._signed_in.clear()
    assert client.get(url("detail", draft)).context is None
    # The session, then the user with the page's generation and entry.
    assert cache_reads == {"get": 1, "get_many": 1}
    cache_reads.update(get=0, get_many=0)
    assert client.get(url("detail", draft)).context is None
    # The process now knows the session's user: the session, the user and the page together.
    assert cache_reads == {"get": 0, "get_many": 1}


def test_a_wrong_guess_of_the_sessions_user_costs_a_read_and_nothing_else(draft, cache_reads):
    client = signed_in(draft.owner)
    served_from_cache(client, draft)
    other = UserFactory()
    served_from_cache(signed_in(other), draft.__class__.objects.create(call=draft.call, owner=other))
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    (backend,) = {backend for _user, backend in user_cache._signed_in.values()}
    user_cache._signed_in[session_key] = (str(other.pk), backend)  # as if the key had changed hands
    cache_reads.update(get=0, get_many=0)
    response = client.get(url("detail", draft))
    assert response.status_code == 200 and draft.owner.email in response.content.decode()
    assert other.email not in response.content.decode()
    assert cache_reads == {"get": 0, "get_many": 2}
    assert user_cache._signed_in[session_key] == (str(draft.owner.pk), backend)


def test_a_session_signed_out_elsewhere_is_not_revived_by_the_guess(draft):
    client = signed_in(draft.owner)
    served_from_cache(client, draft)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert session_key in user_cache._signed_in
    SessionStore(session_key).delete()  # signed out on another device, or expired
    response = client.get(url("detail", draft))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_with_the_cache_down_the_guess_costs_nothing_and_the_page_still_comes(draft, settings):
    client = signed_in(draft.owner)
    served_from_cache(client, draft)
    kill_cache(settings)
    accelerator_cache._down_until = 0.0
    try:
        response = client.get(url("detail", draft))
    finally:
        accelerator_cache._down_until = 0.0
    assert response.status_code == 200 and draft.owner.email in response.content.decode()


def test_the_read_ahead_keys_are_the_keys_the_page_reads(draft, monkeypatch):
    asked = []
    original = accelerator_cache.get_many_read_ahead

    def recording(request, keys):
        asked.append((sorted(keys), sorted(getattr(request, accelerator_cache.READ_AHEAD, {}))))
        return original(request, keys)

    monkeypatch.setattr(accelerator_cache, "get_many_read_ahead", recording)
    client = signed_in(draft.owner)
    served_from_cache(client, draft)
    keys, ahead = asked[-1]
    assert keys == ahead and caching.generation_key(draft.pk) in keys


def test_a_removed_co_founder_is_refused_at_once(draft):
    grace = UserFactory()
    Membership.objects.create(application=draft, user=grace, call=draft.call)
    client = signed_in(grace)
    served_from_cache(client, draft)
    team.remove_member(draft.pk, Membership.objects.get(user=grace).pk, by=draft.owner)
    assert client.get(url("detail", draft)).status_code == 404


def test_a_new_owner_and_a_former_one_get_the_right_answer_at_once(draft):
    """Reassigning an application with an update(), which skips save() and its signals: the former
    owner's cached page is not served to them again (the bulk generation), the new owner gets theirs."""
    from applications.models import Application

    former = draft.owner
    heir = UserFactory()
    Membership.objects.create(application=draft, user=heir, call=draft.call)
    former_client, heir_client = signed_in(former), signed_in(heir)
    served_from_cache(former_client, draft)
    served_from_cache(heir_client, draft)
    Membership.objects.filter(application=draft, user=heir).delete()
    Application.objects.filter(pk=draft.pk).update(owner=heir)
    assert former_client.get(url("detail", draft)).status_code == 404
    html = heir_client.get(url("detail", draft)).content.decode()
    assert "Invite a co-founder by e-mail" in html  # the owner's page, not the co-founder's


def test_a_user_in_another_language_is_served_the_right_page(draft, settings):
    """The keys are read ahead in the browser's language; a user with a language of their own gets
    theirs from accounts.middleware afterwards, and the page then reads its own key."""
    draft.owner.language = "fr"
    draft.owner.save()
    client = signed_in(draft.owner)
    served_from_cache(client, draft)
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]  # a browser asking in English
    response = client.get(url("detail", draft), headers={"accept-language": "en"})
    assert response.context is None and response["Content-Language"] == "fr"
    assert '<html lang="fr"' in response.content.decode()


def test_read_ahead_values_answer_once_and_only_for_every_key():
    class Request:
        pass

    request = Request()
    accelerator_cache.keep_read_ahead(request, ["a", "b"], {"a": 1})
    with pytest.raises(accelerator_cache.Unavailable):  # "c" was not read ahead: the cache is asked
        accelerator_cache._down_until = float("inf")
        accelerator_cache.get_many_read_ahead(request, ["a", "c"])
    assert accelerator_cache.get_many_read_ahead(request, ["a", "b"]) == {"a": 1}
    with pytest.raises(accelerator_cache.Unavailable):  # used: asked again
        accelerator_cache.get_many_read_ahead(request, ["a", "b"])
    accelerator_cache._down_until = 0.0


def test_no_read_ahead_for_a_query_string_or_a_post(draft, rf):
    for request in (rf.get(url("detail", draft), {"x": "1"}), rf.post(url("detail", draft))):
        assert pagecache.keys_to_read_ahead(request, str(draft.owner_id)) == []
    with translation.override("en"):
        keys = pagecache.keys_to_read_ahead(rf.get(url("detail", draft)), str(draft.owner_id))
    assert keys == [
        caching.generation_key(draft.pk),
        caching.BULK_GENERATION,
        call_caching.PUBLIC_CALLS,
        f"page:application:{draft.pk}:en:{draft.owner_id}",
    ]


def test_the_landing_page_of_a_signed_in_visitor_reads_ahead_too(draft, cache_reads):
    client = signed_in(draft.owner)
    settle(call_caching.PUBLIC_CALLS)
    client.get("/")
    cache_reads.update(get=0, get_many=0)
    response = client.get("/")
    assert response.context is None and draft.owner.email in response.content.decode()
    assert cache_reads == {"get": 0, "get_many": 1}
    draft.call.title = "A renamed call"
    draft.call.save()
    assert "A renamed call" in client.get("/").content.decode()
