"""Bad configuration of a call is a form error in the organiser's language, never a 500."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.roles import ORGANISERS
from calls.models import Call
from tests.admin_forms import change_form_data
from tests.factories.accounts import UserFactory
from tests.factories.calls import CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    with translation.override("en"):  # the English title is the required one
        return CallFactory(title="Spring call", slug="spring-call")


def errors_of(call, **changes):
    for name, value in changes.items():
        setattr(call, name, value)
    # In English whatever an earlier test left active (the messages are lazy).
    with translation.override("en"), pytest.raises(ValidationError) as error:
        call.full_clean()
    with translation.override("en"):
        return {field: [str(m) for m in messages] for field, messages in error.value.message_dict.items()}


def test_a_valid_call_passes_and_reminders_are_normalised(call):
    call.founder_reminder_hours = [3, 168, 48, 48]
    with translation.override("en"):
        call.full_clean()
    assert call.founder_reminder_hours == [168, 48, 3]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Europe/Pariss", "“Europe/Pariss” is not a time zone."),
        ("time_zone", "CEST", "“CEST” is not a time zone."),
        ("founder_reminder_hours", [0, 48], "Each reminder is from 1 to 2160 hours before the deadline."),
        ("founder_reminder_hours", "48", "Give whole numbers of hours in brackets"),
        ("reviewer_reminder_hours", [24, 2.5], "Give whole numbers of hours in brackets"),
        ("reviewer_reminder_hours", {"a": 1}, "Give whole numbers of hours in brackets"),
        ("reviewer_reminder_hours", list(range(1, 13)), "At most 10 reminders."),
        ("cohort_size", 0, "The cohort needs at least one place."),
        ("min_reviews", 0, "At least one review is needed to rank an application."),
        ("min_reviews", 4, "No application could be ranked: it gets 3 reviewers and needs 4 reviews."),
        ("reviewers_per_application", 0, "Each application needs at least one reviewer."),
        ("offer_response_days", 0, "Founders need at least one day to answer an offer."),
        ("disagreement_threshold", 0, "The disagreement threshold must be above zero."),
    ],
)
def test_model_clean_names_the_field_and_says_why(call, field, value, message):
    errors = errors_of(call, **{field: value})
    assert any(message in text for text in errors[field]), errors


def test_dates_in_the_wrong_order(call):
    errors = errors_of(call, closes_at=call.opens_at - dt.timedelta(hours=1))
    assert errors["closes_at"] == ["The application deadline must come after the opening."]
    call.refresh_from_db()
    errors = errors_of(call, review_deadline=call.closes_at - dt.timedelta(minutes=1))
    assert errors["review_deadline"] == ["The review deadline cannot come before the application deadline."]
    call.refresh_from_db()
    errors = errors_of(call, programme_ends_on=call.programme_starts_on - dt.timedelta(days=1))
    assert errors["programme_ends_on"] == ["The programme cannot end before it starts."]
    call.refresh_from_db()
    errors = errors_of(call, decided_at=call.closes_at - dt.timedelta(days=1))
    assert errors["decided_at"] == ["Decisions cannot be final before the application deadline."]


# Through the admin, as an organiser types it.


@pytest.fixture
def organiser_client(client):
    def signed_in(language="en"):
        user = UserFactory(is_staff=True, language=language)
        user.groups.add(Group.objects.get(name=ORGANISERS))
        user.user_permissions.clear()
        client.force_login(user)
        return client

    return signed_in


def post_call(client, call, **changes):
    url = reverse("admin:calls_call_change", args=[call.pk])
    data = change_form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_admin_lists_real_zone_names(organiser_client, call):
    page = organiser_client().get(reverse("admin:calls_call_change", args=[call.pk])).content.decode()
    assert '<option value="Europe/Paris" selected>Europe/Paris</option>' in page
    assert '<option value="America/New_York">America/New York</option>' in page


ADMIN_CASES = [
    ({"time_zone": "Mars/Olympus"}, "Select a valid choice.", "Sélectionnez un choix valide."),
    (
        {"founder_reminder_hours_1": "-2", "founder_reminder_hours_1_unit": "hours"},
        "Reminder 2: give from 1 hour to 90 days before the deadline.",
        "Relance 2 : indiquez de 1 heure à 90 jours avant la date limite.",
    ),
    (
        {"reviewer_reminder_hours_0": "soon"},
        "Reminder 1: “soon” is not a whole number.",
        "Relance 1 : « soon » n’est pas un nombre entier.",
    ),
    (
        {"reviewer_reminder_hours_1": "72", "reviewer_reminder_hours_1_unit": "hours"},
        "Reminder 2 (72 hours) falls at the same time as 3 days: remove one of them.",
        "La relance 2 (72 heures) tombe en même temps que 3 jours : supprimez l’une des deux.",
    ),
    ({"cohort_size": "0"}, "The cohort needs at least one place.", "La cohorte doit compter au moins une place."),
    ({"min_reviews": "5"}, "No application could be ranked", "Aucune candidature ne pourrait être classée"),
    (
        {"review_deadline_0": "2020-01-01", "review_deadline_1": "10:00:00"},
        "The review deadline cannot come before the application deadline.",
        "La date limite d’évaluation ne peut pas précéder la date limite de candidature.",
    ),
    (
        {"closes_at_0": "2020-01-01", "closes_at_1": "10:00:00", "review_deadline_0": "2020-01-01"},
        "The application deadline must come after the opening.",
        "La date limite de candidature doit suivre l’ouverture.",
    ),
]


@pytest.mark.parametrize(("changes", "english", "french"), ADMIN_CASES)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_admin_shows_a_form_error_in_the_organisers_language(
    organiser_client, call, changes, english, french, language
):
    client = organiser_client(language)
    before = Call.objects.values().get(pk=call.pk)
    response = post_call(client, call, **changes)
    assert response.status_code == 200
    page = response.content.decode()
    assert (english if language == "en" else french) in page
    assert Call.objects.values().get(pk=call.pk) == before
