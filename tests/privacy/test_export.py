"""Founders download everything the portal holds about them as one ZIP archive."""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import Membership
from tests.factories.applications import ApplicationFactory, TeamMemberFactory
from tests.factories.calls import CallFactory

pytestmark = pytest.mark.django_db


def download(client):
    response = client.get(reverse("privacy:export"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return response, zipfile.ZipFile(io.BytesIO(body))


@pytest.mark.usefixtures("deck_storage")
def test_archive_holds_the_account_applications_team_history_mails_and_decks(ada, client):
    stranger = ApplicationFactory(startup_name="Someone Else's Secret")
    TeamMemberFactory(application=stranger, name="Not Ada's teammate")
    client.force_login(ada.user)
    response, archive = download(client)

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert "no-store" in response["Cache-Control"]
    names = set(archive.namelist())
    assert names == {
        "data.json",
        f"decks/application-{ada.draft.pk}.pdf",
        f"decks/application-{ada.submitted.pk}.pdf",
    }
    assert archive.read(f"decks/application-{ada.draft.pk}.pdf") == ada.draft.pitch_deck.open("rb").read()

    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == "ada@example.eu" and data["account"]["first_name"] == "Ada"
    assert data["account"]["email_addresses"] == [{"email": "ada@example.eu", "verified": True, "primary": True}]
    by_id = {a["id"]: a for a in data["applications"]}
    assert set(by_id) == {ada.draft.pk, ada.submitted.pk, ada.joined.pk}
    submitted = by_id[ada.submitted.pk]
    assert submitted["your_role"] == "owner" and submitted["status"] == "submitted"
    assert submitted["answers"]["problem"] == "Ada's own words about the problem."
    assert submitted["answers"]["country"] == "FR" and submitted["answers"]["foundation_models"] == ["llama"]
    assert [m["name"] for m in submitted["team"]] == ["Founder 0"]
    assert submitted["status_history"][0] | {"at": None} == {
        "from": "draft",
        "to": "submitted",
        "at": None,
        "by_you": True,
    }
    assert submitted["pitch_deck"]["file_in_archive"] == f"decks/application-{ada.submitted.pk}.pdf"
    assert [p["name"] for p in submitted["people_with_access"]["co_founders"]] == ["Bob Babbage"]
    assert by_id[ada.joined.pk]["your_role"] == "co-founder"
    assert "invitations_sent" not in by_id[ada.joined.pk]
    assert [i["email"] for i in by_id[ada.draft.pk]["invitations_sent"]] == ["pending.cofounder@example.eu"]
    [confirmation] = data["emails_sent_to_you"]
    assert confirmation["kind"] == "application_submitted" and "Analytical Engines" in confirmation["body"]
    assert all(m["to"] == "ada@example.eu" for m in data["emails_sent_to_you"])
    # Nothing about anyone else.
    text = archive.read("data.json").decode()
    assert "Someone Else" not in text and "Not Ada's teammate" not in text


@pytest.mark.usefixtures("deck_storage")
def test_missing_deck_file_does_not_break_the_download(ada, client):
    ada.draft.pitch_deck.storage.delete(ada.draft.pitch_deck.name)
    client.force_login(ada.user)
    _response, archive = download(client)
    assert f"decks/application-{ada.draft.pk}.pdf" not in archive.namelist()
    data = json.loads(archive.read("data.json"))
    draft = next(a for a in data["applications"] if a["id"] == ada.draft.pk)
    assert draft["pitch_deck"]["file_in_archive"] is None


def test_export_needs_a_signed_in_founder(ada):
    response = Client().get(reverse("privacy:export"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_export_query_count_does_not_grow_with_applications(ada, client, django_assert_max_num_queries):
    client.force_login(ada.user)

    def join(n):
        for _ in range(n):
            application = ApplicationFactory(call=CallFactory())
            TeamMemberFactory(application=application)
            Membership.objects.create(application=application, user=ada.user, call=application.call)

    with django_assert_max_num_queries(20) as few:
        download(client)
    join(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _response, archive = download(client)
    assert len(json.loads(archive.read("data.json"))["applications"]) == 13


def test_data_page_links_download_and_deletion(ada, client):
    client.force_login(ada.user)
    html = client.get(reverse("accounts:preferences")).content.decode()
    assert reverse("privacy:data") in html
    html = client.get(reverse("privacy:data")).content.decode()
    assert reverse("privacy:export") in html and reverse("privacy:delete") in html
    assert reverse("accounts:privacy") in html
