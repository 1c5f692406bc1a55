"""Staff sign in to the Django admin in a real browser; its JavaScript works under the CSP."""

import base64

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import totp

from tests.e2e.checks import assert_page_is_clean
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def sign_in(page, user):
    page.goto("/admin/")
    page.wait_for_url("**/admin/login/**")
    page.get_by_label("E-mail").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_admin_login_and_admin_javascript(page):
    organiser = UserFactory(is_staff=True, is_superuser=True, username="org@example.org")
    sign_in(page, organiser)
    page.wait_for_url("**/admin/")
    assert page.get_by_role("heading", name="Site administration").is_visible()
    assert_page_is_clean(page)

    # filter_horizontal: SelectFilter2.js turns the groups <select> into two boxes.
    Group.objects.get_or_create(name="Reviewers")
    page.goto(f"/admin/accounts/user/{organiser.pk}/change/")
    page.locator("#id_groups_from").select_option(label="Reviewers")
    page.locator("#id_groups_add").click()
    assert page.locator("#id_groups_to option").all_inner_texts() == ["Reviewers"]
    assert_page_is_clean(page)

    # Date and time widgets: DateTimeShortcuts.js adds "Today" and "Now" links that fill the fields.
    page.goto("/admin/calls/call/add/")
    page.locator(".datetimeshortcuts").first.wait_for()
    page.get_by_role("link", name="Today").first.click()
    assert page.locator("#id_opens_at_0").input_value() != ""
    assert_page_is_clean(page)

    # Change list with actions and the sidebar toggle.
    page.goto("/admin/accounts/user/")
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select").first.is_checked()
    assert_page_is_clean(page)


def test_staff_enrol_an_authenticator_app_in_the_browser(page, settings):
    settings.REQUIRE_STAFF_MFA = True
    reviewer = UserFactory(is_staff=True, username="rev@example.org")
    sign_in(page, reviewer)
    page.wait_for_url("**/two-factor/setup/**")
    qr = page.get_by_role("img", name="QR code")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Six-digit code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_text("Two-factor authentication is on").is_visible()
    assert_page_is_clean(page)


def test_change_list_without_actions_has_no_blocked_style(page, monkeypatch):
    from accounts.admin import UserAdmin

    # Django writes an inline <style> on such lists; our admin/change_list.html moves it to a file.
    monkeypatch.setattr(UserAdmin, "actions", None)
    monkeypatch.setattr(UserAdmin, "actions_on_top", False)
    monkeypatch.setattr(UserAdmin, "actions_on_bottom", False)
    sign_in(page, UserFactory(is_staff=True, is_superuser=True))
    page.goto("/admin/accounts/user/")
    sheets = page.evaluate("() => [...document.styleSheets].map(sheet => sheet.href || 'inline')")
    assert any(href.endswith("/css/admin-csp.css") for href in sheets)
    assert_page_is_clean(page)
