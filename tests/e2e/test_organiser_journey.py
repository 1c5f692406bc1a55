"""The organiser's journey through the demo call in a 1,280 px window: the admin home, the cockpit
and every step page, each checked with axe-core, its width, its title, and kept as a screenshot."""

import pytest
from django.core.management import call_command

from accounts.models import User
from calls.models import Call
from demo.calls import CURRENT_SLUG
from tests.e2e.artefacts import screenshot
from tests.e2e.checks import assert_accessible, assert_page_is_clean
from tests.e2e.layout import assert_fits_the_window, assert_title_clear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "organiser-demo-2026"


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)
    return Call.objects.get(slug=CURRENT_SLUG)


def sign_in(page):
    organiser = User.objects.get(email="organiser@example.org")
    page.goto("/admin/login/")
    page.get_by_label("E-mail").fill(organiser.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)


def check(page, name, title=True):
    """The page as the organiser sees it: clean, within the window, its title visible, accessible."""
    assert_page_is_clean(page)
    assert_fits_the_window(page)
    if title:
        assert_title_clear(page)
    screenshot(page, name)
    assert_accessible(page)
    # axe-core adds an inline style while it checks, which the CSP blocks: not the page's fault.
    page.problems.clear()
    page.evaluate("() => { window.__cspViolations = []; }")


def test_the_call_form_fits_the_window(page, demo):
    sign_in(page)
    page.goto(f"/admin/calls/call/{demo.pk}/change/")
    check(page, "organiser-call-form")
