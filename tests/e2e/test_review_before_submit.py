"""A founder whose startup is not founded yet reads their whole application before submitting it.

The form says to leave the founding date empty and choose "Not incorporated yet": doing so
completes the Startup section. The submit page then shows every answer as reviewers will read it,
the team, the deck's name and size and a way back to each section, and the button comes last.
"""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.models import LegalForm, Status
from tests.applications.helpers import complete
from tests.e2e.checks import assert_accessible, assert_page_is_clean
from tests.e2e.helpers import Texts, label, wait_for_path
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def not_founded_yet(request):
    language = request.param
    user = UserFactory(first_name="Ada", last_name="Lovelace", email="ada@example.eu", language=language)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    application = complete(ApplicationFactory(call=CallFactory(), owner=user))
    application.startup_name = "Analytical Engines"
    application.founded_on = None
    application.legal_form = ""  # the founder picks it in the browser
    application.pitch_deck_name = "engines-deck.pdf"
    application.pitch_deck_size = application.pitch_deck.size
    application.save()
    return language, user, application


def sign_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def check(page):
    assert_accessible(page)
    assert_page_is_clean(page)


@pytest.mark.parametrize(
    ("not_founded_yet", "locale"), [("en", "en-GB"), ("fr", "fr-FR")], indirect=["not_founded_yet"]
)
def test_a_startup_not_founded_yet_reviews_its_application_and_submits(open_page, live_server, not_founded_yet, locale):
    language, user, application = not_founded_yet
    t = Texts(language)
    page = open_page(locale=locale)
    sign_in(page, user, live_server)

    # The form: the date stays empty, as its help text says, and the legal form says why.
    page.goto(reverse("applications:edit", args=[application.pk]))
    main = page.locator("main")
    help_text = t("Leave empty if the company is not founded yet, and choose “Not incorporated yet” below.")
    assert main.get_by_text(help_text).is_visible()
    assert main.get_by_label(label(t("Founding date"))).input_value() == ""
    main.get_by_label(label(t("Legal form"))).select_option(label=t("Not incorporated yet"))
    page.get_by_role("button", name=t("Save and review submission")).click()

    # The submit page: complete, the whole application, then the button.
    wait_for_path(page, reverse("applications:submit", args=[application.pk]))
    check(page)
    assert main.locator("#missing").count() == 0
    read_back = main.get_by_role("heading", name=t("Your application as reviewers will read it"))
    assert read_back.is_visible()
    startup = main.locator("section").filter(has=page.get_by_role("heading", name=t.same("Startup"), exact=True))
    assert startup.get_by_text("Analytical Engines").is_visible()
    assert startup.get_by_text(t("Not incorporated yet")).is_visible()
    assert main.get_by_text("Restaurants waste food.").is_visible()
    assert main.get_by_text("Founder 0").is_visible()
    with translation.override(language):
        size = filesizeformat(application.pitch_deck.size)
    deck = main.locator("section").filter(has=page.get_by_role("heading", name=t.same("Pitch deck"), exact=True))
    assert deck.get_by_role("link", name="engines-deck.pdf").is_visible()
    assert deck.get_by_text(size).is_visible()
    edit = startup.get_by_role("link", name=t("Edit this section"))
    assert edit.get_attribute("href") == reverse("applications:edit", args=[application.pk]) + "#section-startup"

    button = main.get_by_role("button", name=t("Submit my application"))
    # Below the last section read back: the founder reads before reaching it.
    last_section = main.locator("section.card").filter(has=page.get_by_role("heading", name=t.same("Pitch deck")))
    assert button.bounding_box()["y"] > last_section.bounding_box()["y"]
    button.click()
    wait_for_path(page, application.get_absolute_url())
    check(page)

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.founded_on is None
    assert application.legal_form == LegalForm.NOT_INCORPORATED
