"""Autosave validates and writes only what the founder changed (issue 18: CPU per autosave)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import TeamMember
from tests.applications.helpers import complete, post_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(draft, deck_storage):
    return complete(draft, team=2)


def _updates_of_the_application(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "applications_application"')]


def test_an_autosave_writes_the_changed_answer_only(client, filled):
    client.force_login(filled.owner)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url("autosave", filled), post_data(filled, city="Lyon"))
    assert response.status_code == 200 and response.json()["version"] == filled.version + 1
    (update,) = _updates_of_the_application(queries.captured_queries)
    assert '"city"' in update and '"version"' in update and '"updated_at"' in update
    assert '"problem"' not in update and '"startup_name"' not in update and '"pitch_deck"' not in update
    filled.refresh_from_db()
    assert filled.city == "Lyon" and filled.startup_name and filled.pitch_deck


def test_an_autosave_leaves_an_unchanged_team_as_it_is(client, filled):
    rows = list(TeamMember.objects.filter(application=filled).order_by("order").values_list("pk", "name"))
    client.force_login(filled.owner)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url("autosave", filled), post_data(filled, city="Lyon")).status_code == 200
    assert not [q for q in queries.captured_queries if "applications_teammember" in q["sql"] and "DELETE" in q["sql"]]
    assert list(TeamMember.objects.filter(application=filled).order_by("order").values_list("pk", "name")) == rows


def test_an_autosave_of_an_edited_team_row_saves_the_team(client, filled):
    team = [{"name": "Grace Hopper", "role": "CTO", "email": "", "profile_url": ""}, {"name": "Founder 1"}]
    client.force_login(filled.owner)
    response = client.post(url("autosave", filled), post_data(filled, team=team))
    assert response.status_code == 200 and response.json()["sections"]["team"] is True
    names = TeamMember.objects.filter(application=filled).order_by("order").values_list("name", "role")
    assert list(names) == [("Grace Hopper", "CTO"), ("Founder 1", "")]


def test_an_autosave_checks_what_changed_and_reports_it(client, filled):
    client.force_login(filled.owner)
    response = client.post(url("autosave", filled), post_data(filled, website="not a web address"))
    assert response.status_code == 400 and [e["field"] for e in response.json()["errors"]] == ["website"]
    filled.refresh_from_db()
    assert filled.website == "https://kitchen.example.eu" and filled.version == 1


def test_an_autosave_costs_a_handful_of_queries(client, filled, django_assert_max_num_queries):
    client.force_login(filled.owner)
    data = post_data(filled, city="Lyon")
    # The session and user, the application and its team, its row locked, written, and the
    # transaction's bounds: no query for the call, the team count or a re-read.
    with django_assert_max_num_queries(8):
        assert client.post(url("autosave", filled), data).status_code == 200


def test_the_form_page_reads_the_team_once(client, filled, django_assert_max_num_queries):
    client.force_login(filled.owner)
    client.get(url("edit", filled))  # the session's first use
    # The session and user, the application with its call, its team (also counted from it).
    with django_assert_max_num_queries(4):
        response = client.get(url("edit", filled))
    assert response.status_code == 200 and "Founder 1" in response.content.decode()
