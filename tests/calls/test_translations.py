"""A call's public texts in English and French: what founders, e-mails and exports show."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from applications.services.submission import withdraw_application
from calls.i18n import fallback_note, shown_language
from calls.models import Call
from mail.models import OutboxMessage
from reviews.exports import csv_export
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory, CriterionFactory

pytestmark = pytest.mark.django_db

ENGLISH = {
    "title_en": "Open Models Call",
    "summary_en": "Six months at STATION F for five startups.",
    "description_en": "Apply with your **team**.",
    "eligibility_notes_en": "Startups of any stage may apply.",
}
FRENCH = {
    "title_fr": "Programme startups IA",
    "summary_fr": "Six mois à STATION F pour cinq startups.",
    "description_fr": "Candidatez avec votre **équipe**.",
    "eligibility_notes_fr": "Les startups de tout stade peuvent candidater.",
}


def bilingual_call(**kwargs):
    call = CallFactory(**ENGLISH, **FRENCH, **kwargs)
    call.partners.create(name="Scaleway", role_en="H100 GPUs in the EU", role_fr="GPU H100 dans l'UE")
    CriterionFactory(
        call=call, name_en="Team", name_fr="Équipe", description_en="Who ships", description_fr="Qui livre"
    )
    return call


def test_french_reader_sees_the_french_texts_and_no_english(client):
    call = bilingual_call()
    html = client.get(call.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    for text in ("Programme startups IA", "Six mois à STATION F", "<strong>équipe</strong>", "tout stade"):
        assert text in html
    assert "GPU H100 dans l&#x27;UE" in html and "Équipe" in html and "Qui livre" in html
    for text in ("Open Models Call", "Six months", "H100 GPUs in the EU", "Who ships", "any stage"):
        assert text not in html
    assert "(en anglais)" not in html


def test_english_reader_sees_the_english_texts(client):
    call = bilingual_call()
    html = client.get(call.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Open Models Call" in html and "H100 GPUs in the EU" in html and "Who ships" in html
    assert "Programme startups IA" not in html and "Équipe" not in html
    assert "(in French)" not in html


def test_missing_french_falls_back_to_english_with_a_note(client):
    call = CallFactory(**ENGLISH)
    CriterionFactory(call=call, name_en="Team", name_fr="Équipe")
    html = client.get(call.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert (
        '<span lang="en">Open Models Call</span> <small class="text-body-secondary" lang="fr">(en anglais)</small>'
        in html
    )
    assert "Six months at STATION F" in html
    assert "Équipe" in html  # the criterion has its French name: no note there
    assert html.count("(en anglais)") == 4  # title, summary, description, eligibility notes


def test_missing_english_falls_back_to_french_with_a_note():
    call = CallFactory(title_en="Only English title", summary_fr="Résumé seulement en français", summary_en="")
    with translation.override("en"):
        assert call.summary == "Résumé seulement en français"
        assert shown_language(call, "summary") == "fr"
        assert fallback_note(call, "summary") == "(in French)"
        assert fallback_note(call, "title") == ""


def test_home_page_cards_in_the_readers_language(client):
    bilingual_call()
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Programme startups IA" in html and "Open Models Call" not in html


def test_eligible_countries_sorted_by_name_in_the_readers_language(client):
    call = CallFactory(eligible_countries=["CZ", "DE", "DK", "AT", "IS", "ES"])
    french = client.get(call.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Allemagne, Autriche, Danemark, Espagne, Islande, République tchèque" in french
    english = client.get(call.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Austria, Czechia, Denmark, Germany, Iceland, Spain" in english


def test_founders_mail_uses_their_language():
    call = bilingual_call()
    french = UserFactory(language="fr")
    application = ApplicationFactory(call=call, owner=french, submitted=True)
    withdraw_application(application.pk, by=french)
    message = OutboxMessage.objects.get(to=french.email)
    assert "Programme startups IA" in message.subject and "Programme startups IA" in message.body
    assert "Open Models Call" not in message.subject + message.body


def test_reviews_export_names_criteria_in_the_organisers_language():
    call = bilingual_call()
    with translation.override("fr"):
        header = "".join(csv_export(call)).splitlines()[0]
    assert "Équipe" in header and "Team" not in header


def test_existing_calls_keep_their_texts_as_english():
    call = CallFactory(title_en=None, summary_en=None, description_en=None)
    Call.objects.filter(pk=call.pk).update(title="Old title", summary="Old summary", description="Old text")
    migration = __import__("calls.migrations.0004_call_texts_in_english_and_french", fromlist=["texts_as_english"])
    migration.texts_as_english(apps, None)
    call = Call.objects.get(pk=call.pk)
    assert (call.title_en, call.summary_en, call.description_en) == ("Old title", "Old summary", "Old text")
    assert call.title_fr is None
    with translation.override("fr"):
        assert Call.objects.get(pk=call.pk).title == "Old title"


def test_admin_has_both_languages(admin_client):
    call = bilingual_call()
    page = admin_client.get(reverse("admin:calls_call_change", args=[call.pk])).content.decode()
    for name in ("title_en", "title_fr", "summary_fr", "description_fr", "eligibility_notes_fr"):
        assert f'name="{name}"' in page
    assert 'name="partners-0-role_fr"' in page and 'name="criteria-0-name_fr"' in page


def test_country_choices_in_the_form_are_in_dictionary_order(client):
    application = ApplicationFactory(call=CallFactory(eligible_countries=[]))
    client.force_login(application.owner)
    application.owner.language = "fr"
    application.owner.save()
    html = client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    names = ["Égypte", "Émirats arabes unis", "Équateur", "Espagne", "Estonie", "Zimbabwe"]
    positions = [html.index(f">{name}</option>") for name in names]
    assert positions == sorted(positions)
