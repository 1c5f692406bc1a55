"""The call form's reminder rows and country checklist, as the organiser's browser posts them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from accounts.roles import ORGANISERS
from calls.admin import CallAdminForm
from calls.countries import EU_EEA
from calls.models import Call
from tests.admin_forms import change_form_data
from tests.factories.accounts import UserFactory
from tests.factories.calls import CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    with translation.override("en"):
        return CallFactory(title="Spring call", slug="spring-call")


@pytest.fixture
def organiser(client):
    user = UserFactory(is_staff=True, language="en")
    user.groups.add(Group.objects.get(name=ORGANISERS))
    client.force_login(user)
    return client


def form_page(client, call):
    return client.get(reverse("admin:calls_call_change", args=[call.pk]))


def post(client, call, **changes):
    data = change_form_data(form_page(client, call))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return client.post(reverse("admin:calls_call_change", args=[call.pk]), data)


def test_the_form_shows_reminders_as_rows_of_days_and_hours_with_the_sentence(organiser, call):
    page = form_page(organiser, call).content.decode()
    assert 'name="founder_reminder_hours_0" value="7"' in page
    assert 'name="founder_reminder_hours_2" value="3"' in page
    assert '<option value="hours" selected>hours</option>' in page
    assert "7 days, 2 days and 3 hours before the application deadline." in page
    assert "3 days and 1 day before the review deadline." in page
    # Two empty rows to add reminders without JavaScript.
    assert 'name="founder_reminder_hours_4"' in page
    assert 'name="founder_reminder_hours_5"' not in page


def test_rows_are_saved_as_hours(organiser, call):
    response = post(
        organiser,
        call,
        founder_reminder_hours_0="10",
        founder_reminder_hours_0_unit="days",
        founder_reminder_hours_1="",
        founder_reminder_hours_2="12",
        founder_reminder_hours_3="6",
        founder_reminder_hours_3_unit="hours",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    call.refresh_from_db()
    assert call.founder_reminder_hours == [240, 12, 6]


def test_a_wrong_row_is_shown_back_as_typed(organiser, call):
    response = post(organiser, call, founder_reminder_hours_1="0")
    page = response.content.decode()
    assert "Reminder 2: give from 1 hour to 90 days before the deadline." in page
    assert 'name="founder_reminder_hours_1" value="0"' in page
    call.refresh_from_db()
    assert call.founder_reminder_hours == [168, 48, 3]


def test_countries_are_a_checklist_with_a_filter_and_the_eu_eea_preset(organiser, call):
    page = form_page(organiser, call).content.decode()
    assert 'type="checkbox" name="eligible_countries" value="FR"' in page
    assert f"Select all EU/EEA ({len(EU_EEA)})" in page
    assert 'type="search"' in page
    assert f"Selected: {len(EU_EEA)}" in page


def test_ticked_countries_are_saved(organiser, call):
    response = post(organiser, call, eligible_countries=["CH", "FR"])
    assert response.status_code == 302
    call.refresh_from_db()
    assert sorted(c.code for c in call.eligible_countries) == ["CH", "FR"]


def test_the_preset_adds_every_eu_eea_country_to_those_ticked(organiser, call):
    response = post(organiser, call, eligible_countries=["CH"], eligible_countries_preset="eu_eea")
    assert response.status_code == 302
    call.refresh_from_db()
    assert sorted(c.code for c in call.eligible_countries) == sorted([*EU_EEA, "CH"])


def test_nothing_ticked_means_every_country(organiser, call):
    response = post(organiser, call, eligible_countries=None)
    assert response.status_code == 302
    call.refresh_from_db()
    assert list(call.eligible_countries) == []


def form_data(**changes):
    return {"eligible_countries": ["IT"], **changes}


def test_the_form_cleans_the_preset_without_duplicates():
    form = CallAdminForm(data=form_data(eligible_countries=["FR", "CH"], eligible_countries_preset="eu_eea"))
    form.is_valid()
    cleaned = form.cleaned_data["eligible_countries"]
    assert sorted(cleaned) == sorted([*EU_EEA, "CH"])
    assert len(cleaned) == len(set(cleaned))


def test_the_form_refuses_an_unknown_country():
    form = CallAdminForm(data=form_data(eligible_countries=["XX"]))
    form.is_valid()
    assert "eligible_countries" in form.errors


def test_the_form_field_changes_only_when_the_hours_change():
    field = CallAdminForm.base_fields["founder_reminder_hours"]
    assert not field.has_changed([168, 48, 3], [("3", "hours"), ("7", "days"), ("2", "days"), ("", "days")])
    assert field.has_changed([168, 48, 3], [("7", "days")])
    assert Call._meta.get_field("founder_reminder_hours").default() == [168, 48, 3]


def test_the_widgets_speak_the_organisers_language(client, call):
    user = UserFactory(is_staff=True, language="fr")
    user.groups.add(Group.objects.get(name=ORGANISERS))
    client.force_login(user)
    page = client.get(reverse("admin:calls_call_change", args=[call.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "7 jours, 2 jours et 3 heures avant la date limite de candidature." in page
    assert "3 jours et 1 jour avant la date limite d’évaluation." in page
    assert "Tout l’UE/EEE (30)" in page
    assert 'data-msg-and="{list} et {last}"' in page
