"""applications.answers, the one description of the founders' answers: each completeness rule says
what its help text says (in English and in French), every answer is described, one formatter."""

import datetime as dt

import pytest
from django.utils import translation

from applications import answers
from applications.answers import ANSWER_FIELDS, ANSWERS, SECTIONS, shown_value
from applications.completeness import missing_by_section
from applications.models import Application, FoundationModel, LegalForm
from tests.applications.helpers import complete, url

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]
# Columns that are not answers: bookkeeping, and the deck (a file with a section of its own).
NOT_ANSWERS = {
    "id",
    "call",
    "owner",
    "status",
    "version",
    "created_at",
    "updated_at",
    "submitted_at",
    "decision_published_at",
    "pitch_deck",
    "pitch_deck_uploaded_at",
    "pitch_deck_name",
    "pitch_deck_size",
}


def test_every_answer_of_the_model_is_described_once():
    columns = {field.name for field in Application._meta.concrete_fields} - NOT_ANSWERS
    assert sorted(ANSWER_FIELDS) == sorted(columns)
    assert len(ANSWER_FIELDS) == len(set(ANSWER_FIELDS))


def _words_for(answer) -> list[str]:
    """What the help text must say, in the active language, for the answer's rule."""
    if answer.needed is answers.optional:
        return []  # "leave empty" says it all
    if answer.needed is answers.unless_not_incorporated:
        return [str(LegalForm.NOT_INCORPORATED.label)]
    if answer.needed is answers.if_other_model_ticked:
        return [str(FoundationModel.OTHER.label)]
    raise AssertionError(f"{answer.name}: a rule the test does not know")


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_texts_say_when_an_answer_is_not_needed(language):
    """A help text that says "leave empty" belongs to an answer the rule lets founders leave empty,
    and each such answer's help text names its condition."""
    leave_empty = {"en": ["leave empty", "optional"], "fr": ["laissez vide", "facultati"]}[language]
    with translation.override(language):
        for answer in ANSWERS.values():
            text = str(answer.help_text).lower()
            if answer.needed is answers.always or answer.shows_as == answers.TICK:
                assert not any(word in text for word in leave_empty), (language, answer.name, text)
                continue
            assert any(word in text for word in leave_empty), (language, answer.name, text)
            for word in _words_for(answer):
                assert word.lower() in text, (language, answer.name, word, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_shows_each_rule_s_help_text(client, draft, language):
    client.force_login(draft.owner)
    with translation.override(language):
        html = client.get(url("edit", draft), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        for answer in ANSWERS.values():
            if answer.help_text:
                expected = str(answer.help_text).replace("’", "&#x27;").replace("'", "&#x27;")
                assert expected in html or str(answer.help_text) in html, (language, answer.name)


def test_a_startup_not_founded_yet_completes_the_startup_section(draft):
    complete(draft)
    draft.founded_on = None
    draft.legal_form = LegalForm.NOT_INCORPORATED
    draft.save()
    assert "startup" not in missing_by_section(draft)


def test_a_founded_startup_gives_its_founding_date(draft):
    complete(draft)
    draft.founded_on = None
    draft.legal_form = LegalForm.SAS
    draft.save()
    assert missing_by_section(draft)["startup"] == ["founding date"]
    draft.founded_on = dt.date(2024, 5, 1)
    assert "startup" not in missing_by_section(draft)


def test_funding_is_optional_and_zero_is_an_answer(draft):
    complete(draft)
    draft.funding_raised_eur = None
    assert missing_by_section(draft) == {}
    draft.funding_raised_eur = 0
    assert shown_value(draft, "funding_raised_eur")["text"] == "0"


def test_other_models_are_needed_only_when_other_is_ticked(draft):
    complete(draft)
    draft.foundation_models = ["llama", "other"]
    draft.foundation_models_other = "  "
    assert missing_by_section(draft) == {"product": ["other models"]}
    draft.foundation_models_other = "Phi-3"
    assert missing_by_section(draft) == {}
    draft.foundation_models = ["llama"]
    draft.foundation_models_other = ""
    assert missing_by_section(draft) == {}


def test_every_section_names_what_it_misses_on_an_empty_draft(draft):
    missing = missing_by_section(draft)
    assert list(missing) == [part.key for part in SECTIONS]
    assert "funding raised so far (EUR)" not in missing["startup"]
    assert "other models" not in missing["product"]


def test_consents_count_only_when_ticked(draft):
    complete(draft)
    draft.privacy_consent = False
    assert missing_by_section(draft) == {"consents": ["I have read the privacy notice"]}


@pytest.mark.parametrize(
    ("name", "value", "en", "fr"),
    [
        ("founded_on", dt.date(2024, 5, 1), "May 1, 2024", "1 mai 2024"),
        ("gpu_hours_per_month", 12500, "12,500", "12\xa0500"),
        ("data_must_stay_in_eu", False, "No", "Non"),
        ("legal_form", "none", "Not incorporated yet", "Pas encore immatriculée"),
        ("foundation_models", ["llama", "other"], "Llama, Other", "Llama, Autre"),
        ("country", "DE", "Germany", "Allemagne"),
        ("privacy_consent", True, "Yes", "Oui"),
    ],
)
def test_one_formatter_in_the_reader_s_language(draft, name, value, en, fr):
    for language, expected in (("en", en), ("fr", fr)):
        with translation.override(language):
            assert shown_value(draft, name, value)["text"] == expected


def test_the_formatter_says_how_to_show_each_kind(draft):
    assert shown_value(draft, "problem", "Line one\nline two")["kind"] == "paragraphs"
    assert shown_value(draft, "website", "javascript:alert(1)")["kind"] == "link"  # the template checks the scheme
    assert shown_value(draft, "city", "")["kind"] == "empty"
    assert shown_value(draft, "funding_raised_eur", None) == {
        "name": "funding_raised_eur",
        "label": "Funding raised so far (EUR)",
        "kind": "empty",
        "text": "—",
    }
