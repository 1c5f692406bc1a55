"""Sessions: Django's own backends, a new key at login, staff signed out when idle, founders keep
their sessions, sign-in working with the cache down."""

import time

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends import cached_db
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from security.middleware import LAST_ACTIVITY_KEY
from tests.cache_helpers import kill_cache
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_login_rotates_the_session_key(client):
    user = UserFactory(is_staff=True)
    client.get(reverse("admin:login"))
    session = client.session
    session["before_login"] = True
    session.save()
    before = session.session_key
    response = client.post(reverse("admin:login"), {"username": user.username, "password": "correct-horse-battery"})
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.session.get("_auth_user_id") == str(user.pk)


def set_last_activity(client, seconds_ago):
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_staff_signed_out_after_idle_timeout(client, settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:index")).status_code == 200
    set_last_activity(client, 31 * 60)

    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('admin:login')}?next=/admin/"
    assert "_auth_user_id" not in client.session
    assert "logged out after 30 minutes without activity" in response.content.decode()


def test_staff_activity_within_the_timeout_keeps_the_session(client, settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(UserFactory(is_staff=True))
    client.get(reverse("admin:index"))
    set_last_activity(client, 29 * 60)
    assert client.get(reverse("admin:index")).status_code == 200
    # The request counted as activity: the clock starts again, and the session dies server-side too.
    assert int(time.time()) - client.session[LAST_ACTIVITY_KEY] < 5
    assert client.session.get_expiry_age() == 30 * 60 + 60


def test_founders_keep_normal_sessions(client, settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 1
    founder = UserFactory()
    client.force_login(founder)
    client.get(reverse("home"))
    set_last_activity(client, 24 * 3600)
    client.get(reverse("home"))
    assert client.session.get("_auth_user_id") == str(founder.pk)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


@pytest.mark.parametrize("password", ["password123", "qwertyuiop", "1234567890", "iloveyou12"])
def test_common_passwords_are_refused(password):
    with pytest.raises(ValidationError) as error:
        validate_password(password, UserFactory.build())
    assert any(e.code in {"password_too_common", "password_entirely_numeric"} for e in error.value.error_list)


def test_a_long_uncommon_password_is_accepted():
    validate_password("tangerine-orbit-lantern", UserFactory.build())


@pytest.fixture
def verified_founder(settings):
    settings.ACCOUNT_RATE_LIMITS = False  # allauth keeps its counters in the cache
    founder = UserFactory()
    EmailAddress.objects.create(user=founder, email=founder.email, verified=True, primary=True)
    return founder


def test_sessions_live_in_django_s_own_backends(settings):
    # cached_db (Redis, written through to the database) only when every process shares the cache.
    expected = "cached_db" if settings.REDIS_URL else "db"
    assert f"django.contrib.sessions.backends.{expected}" == settings.SESSION_ENGINE
    assert "django.contrib.auth.middleware.AuthenticationMiddleware" in settings.MIDDLEWARE


def test_sign_out_ends_the_session_in_the_cache_too(client, settings, verified_founder):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.post(reverse("account_login"), {"login": verified_founder.email, "password": "correct-horse-battery"})
    assert client.get(reverse("applications:list")).status_code == 200
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert cache.get(cached_db.KEY_PREFIX + cookie) is not None
    client.post(reverse("account_logout"))
    assert cache.get(cached_db.KEY_PREFIX + cookie) is None
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert replay.get(reverse("applications:list")).status_code == 302


def test_sign_in_pages_and_sign_out_work_with_the_cache_down(client, settings, verified_founder):
    kill_cache(settings)
    response = client.post(
        reverse("account_login"), {"login": verified_founder.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("applications:list")).status_code == 200
    assert client.get(reverse("applications:list")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("applications:list")).status_code == 302
