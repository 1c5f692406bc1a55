"""What the form's scripts get back when something goes wrong: JSON they can act on, never a login page.

The shapes are the contract of static/js/application-form.js and application-submit.js (also used
by the deadline-night load scenario): see docs/autosave.md.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.models import StatusChange
from mail.models import OutboxMessage
from tests.applications.helpers import complete, post_data, url

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_ACCEPT": "application/json", "HTTP_X_REQUESTED_WITH": "fetch"}


def test_an_expired_session_gets_json_401_from_autosave_and_the_text_is_not_saved(client, draft):
    response = client.post(url("autosave", draft), post_data(draft, city="Lyon"), **FETCH)
    assert response.status_code == 401
    body = response.json()
    assert body["status"] == "signed_out"
    assert "logged out" in body["message"]
    assert body["login_url"] == reverse("account_login")
    draft.refresh_from_db()
    assert draft.city == ""


def test_the_401_is_worded_in_the_founders_language(client, draft):
    response = client.post(url("autosave", draft), post_data(draft), HTTP_ACCEPT_LANGUAGE="fr", **FETCH)
    with translation.override("fr"):
        expected = translation.gettext(
            "You are logged out (your session has ended). Your text is kept on this page: "
            "log in again and it will be saved."
        )
    assert response.json()["message"] == expected
    assert expected.startswith("Vous")


def test_a_plain_browser_post_is_still_sent_to_the_login_page(client, draft):
    response = client.post(url("autosave", draft), post_data(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_rotated_csrf_token_is_json_403_for_scripts_and_the_usual_page_otherwise(draft):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(draft.owner)
    browser.get(url("edit", draft))  # sets the CSRF cookie
    data = {**post_data(draft, city="Lyon"), "csrfmiddlewaretoken": "x" * 64}
    response = browser.post(url("autosave", draft), data, **FETCH)
    assert response.status_code == 403
    assert response.json()["status"] == "csrf"
    plain = browser.post(url("autosave", draft), data)
    assert plain.status_code == 403 and plain["Content-Type"].startswith("text/html")
    # With the cookie's current token (what the script re-reads), the save goes through.
    data["csrfmiddlewaretoken"] = browser.cookies["csrftoken"].value
    assert browser.post(url("autosave", draft), data, **FETCH).json()["status"] == "saved"


def test_a_retried_autosave_whose_answer_was_lost_is_acknowledged_not_a_conflict(client, draft):
    client.force_login(draft.owner)
    sent = post_data(draft, city="Lyon")
    first = client.post(url("autosave", draft), sent, **FETCH)
    assert first.json()["version"] == 2
    # The answer never reached the tab (server down after the commit): it sends the same again.
    again = client.post(url("autosave", draft), sent, **FETCH)
    assert again.status_code == 200
    assert again.json()["status"] == "saved" and again.json()["version"] == 2
    # Different text on the old version is still a conflict.
    other = client.post(url("autosave", draft), post_data(draft, city="Nice"), **FETCH)
    assert other.status_code == 409 and other.json()["status"] == "conflict"
    draft.refresh_from_db()
    assert (draft.city, draft.version) == ("Lyon", 2)


def test_submit_by_script_answers_where_to_go_and_a_retry_lands_on_the_submitted_page(
    client, draft, django_capture_on_commit_callbacks
):
    complete(draft)
    client.force_login(draft.owner)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url("submit", draft), **FETCH)
        retried = client.post(url("submit", draft), **FETCH)
    assert first.json() == {"status": "submitted", "redirect": draft.get_absolute_url()}
    assert retried.json() == {"status": "already_submitted", "redirect": draft.get_absolute_url()}
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Your application is submitted" in page and "already submitted" in page
    assert StatusChange.objects.filter(application=draft).count() == 1
    assert OutboxMessage.objects.count() == 1 and len(mail.outbox) == 1


def test_a_retried_plain_submit_shows_the_submitted_page_not_an_error(client, draft):
    complete(draft)
    client.force_login(draft.owner)
    client.post(url("submit", draft))
    response = client.post(url("submit", draft), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "already submitted" in response.content.decode()


def test_an_incomplete_submit_by_script_sends_back_to_the_list_of_what_is_missing(client, draft):
    client.force_login(draft.owner)
    response = client.post(url("submit", draft), **FETCH)
    assert response.json() == {"status": "incomplete", "redirect": url("submit", draft)}
    page = client.get(url("submit", draft)).content.decode()
    assert "Not submitted yet" in page


def test_submit_with_an_expired_session_is_json_401_for_the_script(client, draft):
    complete(draft)
    response = client.post(url("submit", draft), **FETCH)
    assert response.status_code == 401 and response.json()["status"] == "signed_out"
    assert client.post(url("submit", draft)).status_code == 302


def test_the_form_gives_its_script_the_draft_key_and_the_founders_words(client, draft):
    draft.owner.language = "fr"
    draft.owner.save()
    client.force_login(draft.owner)
    html = client.get(url("edit", draft)).content.decode()
    assert f'data-draft-key="accelerator:draft:{draft.owner.pk}:{draft.pk}"' in html
    assert "data-draft-restore" in html
    assert "Pas encore enregistré : aucune connexion au portail." in html
    assert "Se reconnecter (ouvre un nouvel onglet)" in html
    # A page answering a post already shows what was posted: the script restores nothing over it.
    refused = client.post(url("edit", draft), post_data(draft, website="nope"))
    assert refused.status_code == 400
    assert "data-draft-restore" not in refused.content.decode()
