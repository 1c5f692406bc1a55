"""The README's pictures of the staff pages, taken on the demo data in a 1,280 px window.

`README_SCREENSHOTS=1 CI_BROWSER=1 .venv/bin/python -m pytest tests/e2e/test_readme_screenshots.py`
writes them into docs/screenshots/; otherwise they go to the test artefacts, so that a test run
never changes a committed file. Each stays under 300 KB (one window, not the whole page).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from calls.models import Call
from demo.calls import CURRENT_SLUG
from tests.e2e.checks import assert_accessible
from tests.e2e.layout import assert_fits_the_window

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WINDOW = {"width": 1280, "height": 860}
MAX_BYTES = 300_000


def folder() -> Path:
    if os.environ.get("README_SCREENSHOTS"):
        return Path(settings.BASE_DIR) / "docs" / "screenshots"
    return Path(os.environ.get("E2E_ARTIFACTS", "test-artifacts")) / "readme"


def picture(page, name: str) -> Path:
    path = folder() / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), caret="initial")
    assert path.stat().st_size < MAX_BYTES, f"{path} is {path.stat().st_size} bytes"
    return path


def sign_in(page, email, password):
    page.goto("/admin/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)


def test_the_cockpit_and_the_reviewers_page_on_the_demo(open_page):
    call_command("seed_demo", verbosity=0)
    call = Call.objects.get(slug=CURRENT_SLUG)

    organiser = open_page()
    organiser.set_viewport_size(WINDOW)
    sign_in(organiser, "organiser@example.org", "organiser-demo-2026")
    organiser.goto(f"/admin/calls/call/{call.pk}/cockpit/")
    organiser.get_by_role("heading", name="Steps").wait_for()
    assert_fits_the_window(organiser)
    picture(organiser, "cockpit")
    assert_accessible(organiser)

    reviewer = open_page()
    reviewer.set_viewport_size(WINDOW)
    sign_in(reviewer, "reviewer.meta@example.org", "reviewer-demo-2026")
    reviewer.get_by_role("link", name="Start the next review").click()
    reviewer.wait_for_url("**/admin/reviews/myreview/*/change/")
    assert_fits_the_window(reviewer)
    picture(reviewer, "reviewer-scoring")
    assert_accessible(reviewer)
