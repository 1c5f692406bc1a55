"""Sessions and the signed-in user from the cache (with REDIS_URL in production; here on whatever
cache the tests run with): never a stale or someone else's user, and no password hash in the cache."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts import user_cache
from accounts.sessions import SessionStore
from tests.cache_helpers import kill_cache
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _cached_sessions_and_users(settings):
    settings.SESSION_ENGINE = "accounts.sessions"
    settings.AUTH_USER_CACHE = True


def settle(*keys):
    """As if a minute had passed since the last change marked these keys (core.cache)."""
    cache.delete_many(list(keys))


def user_keys(user):
    return [user_cache.user_key(path, user.pk) for path in settings.AUTHENTICATION_BACKENDS]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    settle(*user_keys(user))  # the sign-in saved last_login
    client.get(reverse("applications:list"))  # stores the user
    return client


def test_the_cache_holds_no_password_hash_and_the_user_still_has_one():
    user = UserFactory()
    client = signed_in(user)
    stored = [cache.get(key) for key in user_keys(user)]
    auth_hash, cached_user = next(entry for entry in stored if entry)
    assert "password" not in cached_user.__dict__ and user.password not in repr(stored)
    assert auth_hash == user.get_session_auth_hash()
    # Pages that need the password read it from the database, and saving the user keeps it.
    response = client.post(reverse("accounts:preferences"), {"first_name": "Ada", "last_name": "L", "language": "fr"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.language) == ("Ada", "fr") and user.check_password(PASSWORD)


def test_changing_the_password_ends_other_sessions_at_once():
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    other_device = signed_in(user)
    assert other_device.get(reverse("applications:list")).status_code == 200
    this_device = signed_in(user)
    response = this_device.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-brand-new-pass-42", "password2": "a-brand-new-pass-42"},
    )
    assert response.status_code == 302
    assert this_device.get(reverse("applications:list")).status_code == 200  # kept by Django
    assert other_device.get(reverse("applications:list")).status_code == 302  # to the login page


def test_a_deactivated_or_renamed_user_shows_at_once():
    user = UserFactory(email="ada@example.com", username="ada@example.com")
    client = signed_in(user)
    user.email = "lovelace@example.com"
    user.save()
    assert "lovelace@example.com" in client.get(reverse("applications:list")).content.decode()
    settle(*user_keys(user))
    client.get(reverse("applications:list"))
    user.is_active = False
    user.save()
    assert client.get(reverse("applications:list")).status_code == 302


def test_logout_ends_the_session_in_the_cache_too():
    user = UserFactory()
    client = signed_in(user)
    cookie = client.cookies["sessionid"].value
    assert cache.get(SessionStore.cache_key_prefix + cookie) is not None
    client.post(reverse("account_logout"))
    assert cache.get(SessionStore.cache_key_prefix + cookie) is None
    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert replay.get(reverse("applications:list")).status_code == 302


def test_sessions_and_users_work_with_the_cache_down(client, settings):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    kill_cache(settings)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("applications:list")).status_code == 200
    assert client.get(reverse("applications:list")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("applications:list")).status_code == 302


def test_a_session_missing_from_the_cache_is_read_from_the_database():
    store = DBStore()
    store["answer"] = 42
    store.create()
    assert SessionStore(store.session_key)["answer"] == 42


def test_the_sessions_a_process_remembers_are_bounded(monkeypatch):
    monkeypatch.setattr(user_cache, "_signed_in", type(user_cache._signed_in)())
    monkeypatch.setattr(user_cache, "SESSIONS_REMEMBERED", 2)
    for key in ("a", "b", "a", "c"):  # "a" seen again: "b" is now the oldest
        user_cache._remember(key, (key, "backend"))
    assert list(user_cache._signed_in) == ["a", "c"]
    user_cache._remember(None, ("x", "backend"))  # no session key: nothing to remember
    assert len(user_cache._signed_in) == 2
