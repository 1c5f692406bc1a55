"""The public pages in a real browser, in English and French: accessible and CSP-clean."""

import pytest

from tests.e2e.checks import assert_accessible, assert_page_is_clean, csp_violations
from tests.factories.calls import CallFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_language(page, label):
    page.get_by_label("Language" if label == "Français" else "Langue").select_option(label=label)
    page.get_by_role("button", name="Change" if label == "Français" else "Changer").click()
    page.wait_for_load_state()


def test_home_and_call_page_in_english_and_french(page):
    call = CallFactory(title="Open models 2026", slug="open-models-2026")

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).is_visible()
    page.get_by_role("link", name=call.title).click()
    page.wait_for_url(f"**{call.get_absolute_url()}")
    assert page.get_by_role("heading", name=call.title, level=1).is_visible()
    assert page.get_by_text("Application deadline").is_visible()
    assert_accessible(page)
    assert_page_is_clean(page)

    switch_language(page, "Français")
    page.wait_for_url(f"**{call.get_absolute_url()}")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_text("Date limite de candidature").is_visible()
    assert_accessible(page)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page)
    assert_page_is_clean(page)

    switch_language(page, "English")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    assert_page_is_clean(page)


def test_bootstrap_scripts_work_under_the_policy(page):
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto("/")
    menu = page.locator("#nav")
    assert not menu.is_visible()
    page.get_by_role("button", name="Toggle navigation").click()
    menu.wait_for(state="visible")
    assert_page_is_clean(page)


def test_the_policy_really_blocks_inline_script(page):
    # Control for the checks above: an injected inline script is refused and reported.
    page.goto("/")
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true';
                   document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.__ran") is None
    assert any("script-src" in violation for violation in csp_violations(page))
