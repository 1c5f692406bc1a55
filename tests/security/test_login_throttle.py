"""Login throttling (django-axes): 5 failures lock the pair (identifier, address) for 15 minutes."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from security.client import client_ip, login_identifier, throttle_address
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def staff():
    return UserFactory(username="reviewer@example.org", email="reviewer@example.org", is_staff=True)


def attempt(username, password, ip="203.0.113.7", language=None):
    client = Client(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE=language or "en")
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


def fail(times, username="reviewer@example.org", ip="203.0.113.7"):
    for _ in range(times):
        response = attempt(username, "wrong-password", ip=ip)
    return response


def test_four_failures_still_allow_the_right_password(staff):
    response = fail(4)
    assert response.status_code == 200
    assert "Please enter the correct" in response.content.decode()
    assert attempt(staff.username, PASSWORD).status_code == 302


def test_fifth_failure_locks_even_the_right_password_with_a_clear_page(staff):
    response = fail(5)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Logging in is paused" in html
    assert "paused for 15 minutes" in html
    assert "(Paris time)" in html
    assert 800 <= int(response["Retry-After"]) <= 900

    locked = attempt(staff.username, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in locked.client.session


def test_lockout_page_speaks_french(staff):
    fail(5)
    response = attempt(staff.username, PASSWORD, language="fr")
    assert response.status_code == 429
    html = response.content.decode()
    assert 'lang="fr"' in html
    assert "Connexion suspendue" in html


def test_a_stranger_cannot_lock_the_real_user_out(staff):
    fail(12, ip="198.51.100.66")
    assert attempt(staff.username, PASSWORD, ip="203.0.113.7").status_code == 302


def test_case_variants_of_the_identifier_count_together(staff):
    for variant in ["Reviewer@example.org", "REVIEWER@EXAMPLE.ORG", " reviewer@example.org", "reviewer@Example.org"]:
        attempt(variant, "nope")
    assert attempt("reviewer@example.ORG", "nope").status_code == 429


def test_lock_ends_after_fifteen_minutes_and_is_not_extended_by_more_failures(staff):
    fail(5)
    fail(3)  # hammering during the lock does not move its end
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=15, seconds=1))
    assert attempt(staff.username, PASSWORD).status_code == 302


def test_success_resets_the_failure_count(staff):
    fail(4)
    assert attempt(staff.username, PASSWORD).status_code == 302
    fail(4)
    assert attempt(staff.username, PASSWORD).status_code == 302


def test_passwords_are_not_stored_with_failed_attempts(staff):
    fail(1)
    record = AccessAttempt.objects.get()
    assert "wrong-password" not in record.post_data
    assert record.username == "reviewer@example.org"


class FakeRequest:
    def __init__(self, post=None, meta=None):
        self.POST = post or {}
        self.META = meta or {}


@pytest.mark.parametrize(
    ("credentials", "post", "expected"),
    [
        ({"username": "Ana@Example.org"}, {}, "ana@example.org"),
        # allauth authenticates with email= (or username=) and posts the form field "login".
        ({"email": "ana@example.org", "password": "x"}, {}, "ana@example.org"),
        (None, {"login": " Ana@example.org "}, "ana@example.org"),
        (None, {"username": "ana"}, "ana"),
        (None, {}, None),
    ],
)
def test_identifier_from_admin_and_allauth_forms(credentials, post, expected):
    assert login_identifier(FakeRequest(post=post), credentials) == expected


def test_client_address_behind_trusted_proxies(settings):
    request = FakeRequest(meta={"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"})
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"  # no proxy declared: the header is the client's word
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # what our proxy saw, not what the client wrote
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2"  # fewer entries than proxies: fall back to the socket


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:5:6:1234:5678:9abc:def0", "2001:db8:5:6::"),
        ("2001:DB8:5:6::1", "2001:db8:5:6::"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
    ],
)
def test_failures_are_counted_per_ipv4_address_and_per_ipv6_network(address, counted_as):
    assert throttle_address(FakeRequest(meta={"REMOTE_ADDR": address})) == counted_as


@pytest.mark.urls("tests.security.allauth_like_urls")
def test_allauth_style_login_form_is_throttled_too(staff):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):
        assert client.post("/accounts/login/", {"login": "Reviewer@example.org", "password": "x"}).status_code == 200
    response = client.post("/accounts/login/", {"login": "reviewer@example.org", "password": "x"})
    assert response.status_code == 429
    assert "Logging in is paused" in response.content.decode()
    # The same identifier is locked on the admin form as well, from that address only.
    assert attempt(staff.username, PASSWORD, ip="203.0.113.7").status_code == 429
    assert attempt(staff.username, PASSWORD, ip="192.0.2.10").status_code == 302
