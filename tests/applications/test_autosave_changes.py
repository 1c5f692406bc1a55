"""Autosave validates and writes only what the founder changed (issue 18: CPU per autosave).

The script sends the version and the answers changed since its last acknowledged save, URL-encoded
(docs/autosave.md); the older tests post the whole form, which the server still takes.
"""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import TeamMember
from tests.applications.helpers import complete, post_data, url
from tests.factories.accounts import UserFactory

URLENCODED = "application/x-www-form-urlencoded"
FETCH = {"HTTP_ACCEPT": "application/json", "HTTP_X_REQUESTED_WITH": "fetch"}


def send(client, application, pairs, **headers):
    """What the script sends: URL-encoded pairs, as URLSearchParams builds them."""
    return client.post(url("autosave", application), urlencode(pairs), content_type=URLENCODED, **FETCH, **headers)


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


def test_the_scripts_changes_alone_are_saved_and_the_rest_stays(client, filled):
    client.force_login(filled.owner)
    response = send(client, filled, [("version", "1"), ("city", "Lyon"), ("traction", "20 restaurants.")])
    assert response.status_code == 200 and response.json()["version"] == 2
    body = response.json()
    assert body["sections"] == dict.fromkeys(body["sections"], True)  # the team counted, still complete
    filled.refresh_from_db()
    assert (filled.city, filled.traction, filled.startup_name) == ("Lyon", "20 restaurants.", "Mistral Kitchen")
    assert filled.foundation_models == ["llama"] and filled.privacy_consent is True
    assert list(filled.team_members.values_list("name", flat=True)) == ["Founder 0", "Founder 1"]


def test_an_emptied_list_and_an_unticked_box_are_sent_empty_and_saved_empty(client, filled):
    client.force_login(filled.owner)
    response = send(client, filled, [("version", "1"), ("foundation_models", ""), ("privacy_consent", "")])
    assert response.status_code == 200
    filled.refresh_from_db()
    assert filled.foundation_models == [] and filled.privacy_consent is False and filled.data_kinds == ["none"]
    response = send(client, filled, [("version", "2"), ("foundation_models", "llama"), ("foundation_models", "")])
    assert response.status_code == 200
    filled.refresh_from_db()
    assert filled.foundation_models == ["llama"]


def test_the_team_is_sent_whole_when_a_row_changed(client, filled):
    client.force_login(filled.owner)
    rows = [("team-TOTAL_FORMS", "1"), ("team-INITIAL_FORMS", "2"), ("team-MIN_NUM_FORMS", "0")]
    rows += [("team-MAX_NUM_FORMS", "20"), ("team-0-name", "Grace Hopper"), ("team-0-role", "CTO")]
    response = send(client, filled, [("version", "1"), *rows])
    assert response.status_code == 200
    assert list(filled.team_members.values_list("name", "role")) == [("Grace Hopper", "CTO")]


def test_a_wrong_answer_is_reported_and_nothing_is_saved(client, filled):
    client.force_login(filled.owner)
    response = send(client, filled, [("version", "1"), ("city", "Lyon"), ("team_size", "-3")])
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["team_size"]
    filled.refresh_from_db()
    assert (filled.city, filled.version) == ("Paris", 1)


def test_anyone_but_its_founders_gets_404_even_for_a_refused_post(client, filled):
    client.force_login(UserFactory())
    assert send(client, filled, [("version", "1"), ("city", "Hacked")]).status_code == 404
    assert send(client, filled, [("city", "Hacked"), ("team_size", "many")]).status_code == 404
    assert send(client, filled, [("version", "1")]).status_code == 404
    client.force_login(filled.owner)
    missing = url("autosave", filled).replace(str(filled.pk), "999999")
    assert client.post(missing, "version=1&city=Lyon", content_type=URLENCODED).status_code == 404


def test_a_retried_save_is_acknowledged_only_right_after_its_version(client, filled):
    """The script sends only its changes: a later save than its own (perhaps a co-founder's, with
    changes this tab has not seen) makes the retry a conflict, as the whole form did."""
    client.force_login(filled.owner)
    sent = [("version", "1"), ("city", "Lyon")]
    assert send(client, filled, sent).json()["version"] == 2
    again = send(client, filled, sent)  # its answer was lost: sent again
    assert again.status_code == 200 and again.json() == {**again.json(), "status": "saved", "version": 2}
    assert send(client, filled, [("version", "2"), ("problem", "Another tab's change.")]).status_code == 200
    late = send(client, filled, sent)
    assert late.status_code == 409 and late.json()["status"] == "conflict"
    filled.refresh_from_db()
    assert (filled.city, filled.problem, filled.version) == ("Lyon", "Another tab's change.", 3)


def test_the_csrf_token_in_the_header_is_enough(filled):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(filled.owner)
    browser.get(url("edit", filled))  # sets the CSRF cookie
    refused = send(browser, filled, [("version", "1"), ("city", "Lyon")])
    assert refused.status_code == 403 and refused.json()["status"] == "csrf"
    token = browser.cookies["csrftoken"].value
    assert send(browser, filled, [("version", "1"), ("city", "Lyon")], HTTP_X_CSRFTOKEN=token).status_code == 200


def test_an_autosave_costs_a_handful_of_queries(client, filled, django_assert_max_num_queries):
    client.force_login(filled.owner)
    data = post_data(filled, city="Lyon")
    # The session and user, the application and its team, its row locked, written, and the
    # transaction's bounds: no query for the call, the team count or a re-read.
    with django_assert_max_num_queries(8):
        assert client.post(url("autosave", filled), data).status_code == 200


def test_what_the_script_sends_costs_one_read_of_the_application(client, filled):
    client.force_login(filled.owner)
    send(client, filled, [("version", "1"), ("city", "Lyon")])  # the session's first use
    with CaptureQueriesContext(connection) as queries:
        assert send(client, filled, [("version", "2"), ("city", "Lille")]).status_code == 200
    # Without Redis here, the session comes from the database: not counted.
    sql = [
        q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"] and "django_session" not in q["sql"]
    ]
    reads = [q for q in sql if q.startswith("SELECT") and '"applications_application"."city"' in q]
    assert len(reads) == 1  # read once, locked (FOR UPDATE where the database has it)
    assert "FOR UPDATE" in reads[0] or not connection.features.has_select_for_update
    assert len(_updates_of_the_application(queries.captured_queries)) == 1
    assert len(sql) <= 4, sql  # the session's user, the row locked, written, the team counted


def test_the_form_page_reads_the_team_once(client, filled, django_assert_max_num_queries):
    client.force_login(filled.owner)
    client.get(url("edit", filled))  # the session's first use
    # The session and user, the application with its call, its team (also counted from it).
    with django_assert_max_num_queries(4):
        response = client.get(url("edit", filled))
    assert response.status_code == 200 and "Founder 1" in response.content.decode()
