"""Error pages: in the portal's look and the visitor's language, with DEBUG off (as in production)."""

import pytest
from django.test import Client

from tests.factories.accounts import UserFactory
from tests.factories.cohorts import organiser
from tests.reviews.conftest import make_reviewer

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.errors.urls")]

PAGES = {
    # status: (English title, French title)
    400: ("The portal could not understand this request", "Le portail n’a pas pu comprendre cette demande"),
    403: ("You cannot open this page", "Vous ne pouvez pas ouvrir cette page"),
    404: ("Page not found", "Page introuvable"),
    500: ("Something went wrong on our side", "Un problème est survenu de notre côté"),
}
URLS = {400: "/test-errors/400/", 403: "/test-errors/403/", 404: "/no-such-page/", 500: "/test-errors/500/"}


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


@pytest.mark.parametrize("status", PAGES)
@pytest.mark.parametrize(("language", "index"), [("en", 0), ("fr", 1)])
def test_error_page_in_the_portal_look_and_the_visitors_language(status, language, index):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    response = client.get(URLS[status])
    assert response.status_code == status
    html = response.content.decode()
    assert PAGES[status][index] in html
    assert f'<html lang="{language}">' in html
    assert "AI Startup Programme" in html or "Programme startups IA" in html
    assert "favicon.svg" in html
    assert "Django" not in html


def test_500_page_renders_without_any_request_context(rf):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("en"):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_403_tells_a_visitor_to_sign_in():
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(URLS[403])
    assert response.status_code == 403
    assert b"/accounts/login/?next=/test-errors/403/" in response.content


def test_403_sends_a_founder_to_their_applications(client):
    client.force_login(UserFactory(email="ada@example.org"))
    response = client.get(URLS[403], HTTP_ACCEPT_LANGUAGE="en")
    assert "You are signed in as ada@example.org" in response.content.decode()
    assert b'href="/applications/"' in response.content


def test_a_reviewer_on_an_organiser_page_keeps_the_admin_frame_and_is_sent_to_their_reviews(client):
    client.force_login(make_reviewer())
    response = client.get("/admin/cohorts/offer/call/1/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    html = response.content.decode()
    assert "This page is for organisers" in html
    assert 'id="site-name"' in html  # the admin's frame
    assert "Go to my reviews" in html


def test_a_reviewer_on_an_organiser_page_in_french(client):
    client.force_login(make_reviewer(language="fr"))
    response = client.get("/admin/cohorts/offer/call/1/")
    assert response.status_code == 403
    assert "Cette page est réservée aux organisateurs" in response.content.decode()


def test_404_in_the_admin_keeps_the_admin_frame_for_staff(client):
    client.force_login(organiser())
    response = client.get("/admin/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert 'id="site-name"' in response.content.decode()


def test_favicon():
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
