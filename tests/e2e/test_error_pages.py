"""The 404 page in a real browser, in English and French: the portal's look, accessible, with an icon."""

import pytest

from tests.e2e.artefacts import screenshot
from tests.e2e.checks import assert_accessible, assert_page_is_clean

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("locale", "heading"), [("en-GB", "Page not found"), ("fr-FR", "Page introuvable")])
def test_404_page_in_the_visitors_language(open_page, locale, heading):
    page = open_page(locale=locale)
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name=heading, level=1).is_visible()
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).ok
    screenshot(page, f"404-{locale}")
    assert_accessible(page)
    # The 404 response itself is reported on the console; nothing else may be.
    page.problems[:] = [p for p in page.problems if "404" not in p]
    assert_page_is_clean(page)
