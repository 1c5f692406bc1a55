"""Security headers and cookies on the portal's existing pages, and pages free of inline code."""

import pytest
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.factories.calls import CallFactory
from tests.security.csp import assert_no_inline_code

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "frame-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def parse_csp(header: str) -> dict[str, str]:
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value.strip()
    return directives


@pytest.fixture
def pages(client):
    call = CallFactory(slug="open-models-2026")
    return {
        "home": reverse("home"),
        "call": call.get_absolute_url(),
        "admin login": reverse("admin:login"),
        "healthz": reverse("healthz"),
    }


@pytest.mark.parametrize("page", ["home", "call", "admin login", "healthz"])
def test_every_page_carries_the_strict_policy_and_headers(client, pages, page):
    response = client.get(pages[page])
    assert response.status_code == 200
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("page", ["home", "call", "admin login"])
def test_pages_have_no_inline_script_or_style(client, pages, page):
    assert_no_inline_code(client.get(pages[page]).content.decode())


def test_admin_pages_have_no_inline_code(admin_client):
    user = UserFactory()
    for url in [
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[user.pk]),
        reverse("admin:calls_call_add"),
        reverse("admin:otp_totp_totpdevice_changelist"),
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code(response.content.decode())


def test_admin_change_list_without_actions_keeps_its_style_in_a_file(admin_client, monkeypatch):
    from accounts.admin import UserAdmin

    monkeypatch.setattr(UserAdmin, "actions_on_top", False)
    monkeypatch.setattr(UserAdmin, "actions_on_bottom", False)
    html = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert_no_inline_code(html)
    assert "css/admin-csp.css" in html


def test_session_cookie_is_httponly_and_lax(client):
    user = UserFactory(is_staff=True)
    response = client.post(
        reverse("admin:login"), {"username": user.username, "password": "correct-horse-battery", "next": "/admin/"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_production_cookies_are_secure_and_https_is_strict(client, settings):
    # The values DEBUG=false gives (see test_deploy_check for the settings module itself).
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    plain = client.get(reverse("home"))
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/"
    assert client.get(reverse("healthz")).status_code == 200  # probes stay on plain HTTP

    secure = client.get(reverse("admin:login"), secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert secure.cookies["csrftoken"]["secure"] is True
    user = UserFactory(is_staff=True)
    login = client.post(
        reverse("admin:login"), {"username": user.username, "password": "correct-horse-battery"}, secure=True
    )
    assert login.cookies["sessionid"]["secure"] is True


def test_language_cookie_is_lax_secure_and_httponly_with_debug_off(client, settings):
    assert settings.DEBUG is False  # the test settings keep production's DEBUG=false
    switched = client.post(reverse("set_language"), {"language": "fr", "next": "/"}, secure=True)
    cookie = switched.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert (cookie.value, cookie["samesite"], cookie["secure"], cookie["httponly"]) == ("fr", "Lax", True, True)

    # The cookie the account's language sets at sign-in, too.
    user = UserFactory(language="fr", is_staff=True)
    client.cookies.clear()
    signed_in = client.post(
        reverse("admin:login"), {"username": user.username, "password": "correct-horse-battery"}, secure=True
    )
    cookie = signed_in.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert (cookie.value, cookie["samesite"], cookie["secure"], cookie["httponly"]) == ("fr", "Lax", True, True)


def test_the_site_cannot_be_framed_nor_post_elsewhere(client):
    policy = parse_csp(client.get(reverse("home"))["Content-Security-Policy"])
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
