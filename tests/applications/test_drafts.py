import base64
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application
from applications.services.drafts import save_application
from applications.services.errors import StaleVersion
from tests.applications.helpers import minimal_pdf, post_data, url
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory, TeamMemberFactory
from tests.storage_helpers import s3_client

pytestmark = pytest.mark.django_db


def test_start_page_explains_then_creates_one_draft(client, call, founder):
    client.force_login(founder)
    start = reverse("applications:start", args=[call.slug])
    response = client.get(start)
    assert response.status_code == 200
    assert "20 MB" in response.content.decode()
    assert not Application.objects.exists()
    response = client.post(start)
    application = Application.objects.get()
    assert response["Location"] == url("edit", application)
    assert (application.owner, application.status) == (founder, "draft")
    # The founder starts the team list.
    assert [m.name for m in application.team_members.all()] == ["Ada Lovelace"]
    # A second click, or coming back from the call page, opens the same application.
    assert client.post(start)["Location"] == application.get_absolute_url()
    assert client.get(start)["Location"] == application.get_absolute_url()
    assert Application.objects.count() == 1


def test_apply_button_opens_the_existing_application(client, call, founder):
    client.force_login(founder)
    html = client.get(call.get_absolute_url()).content.decode()
    assert reverse("applications:start", args=[call.slug]) in html and "Apply now" in html
    application = ApplicationFactory(call=call, owner=founder)
    html = client.get(call.get_absolute_url()).content.decode()
    assert "Continue your application" in html and application.get_absolute_url() in html


def test_apply_button_sends_visitors_to_signup_and_back(client, call):
    html = client.get(call.get_absolute_url()).content.decode()
    assert f"/accounts/signup/?next=/calls/{call.slug}/apply/" in html
    assert f"/accounts/login/?next=/calls/{call.slug}/apply/" in html
    response = client.get(reverse("applications:start", args=[call.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_closed_call_cannot_be_started(client, founder):
    from tests.calls.test_pages import closed_call

    call = closed_call()
    client.force_login(founder)
    response = client.post(reverse("applications:start", args=[call.slug]), follow=True)
    assert "not open for applications" in response.content.decode()
    assert not Application.objects.exists()


def test_draft_saves_with_partial_data(client, draft):
    client.force_login(draft.owner)
    data = post_data(draft, startup_name="Half Done", problem="Only the problem so far.", team=[])
    response = client.post(url("edit", draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.startup_name, draft.problem, draft.status, draft.version) == (
        "Half Done",
        "Only the problem so far.",
        "draft",
        2,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Draft saved at" in page
    assert "Half Done" in page


def test_format_errors_block_the_save_and_keep_the_input(client, draft):
    client.force_login(draft.owner)
    data = post_data(draft, startup_name="Kept Name", website="not a url at all", team_size="three")
    response = client.post(url("edit", draft), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Not saved" in html and "Enter a valid URL." in html and "Enter a whole number." in html
    assert 'value="Kept Name"' in html and 'value="not a url at all"' in html
    draft.refresh_from_db()
    assert draft.startup_name == "" and draft.version == 1


def test_autosave_saves_partial_data_and_returns_the_new_version(client, draft):
    client.force_login(draft.owner)
    response = client.post(url("autosave", draft), post_data(draft, city="Lyon"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "saved" and body["version"] == 2
    assert body["sections"]["startup"] is False
    draft.refresh_from_db()
    assert draft.city == "Lyon"


def test_autosave_reports_format_errors_without_saving(client, draft):
    client.force_login(draft.owner)
    response = client.post(url("autosave", draft), post_data(draft, city="Lyon", website="nope"))
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "invalid"
    assert [e["field"] for e in body["errors"]] == ["website"]
    draft.refresh_from_db()
    assert draft.city == ""


def test_autosave_never_touches_the_deck(client, draft):
    client.force_login(draft.owner)
    data = post_data(draft)
    data["pitch_deck"] = SimpleUploadedFile("deck.pdf", minimal_pdf(), content_type="application/pdf")
    assert client.post(url("autosave", draft), data).status_code == 200
    draft.refresh_from_db()
    assert not draft.pitch_deck


def test_team_rows_are_added_and_removed(client, draft):
    client.force_login(draft.owner)
    TeamMemberFactory(application=draft, name="Old Member")
    team = [
        {"name": "Old Member", "role": "CEO", "email": "", "profile_url": "", "DELETE": "on"},
        {"name": "Grace", "role": "CTO", "email": "grace@example.com", "profile_url": "github.com/grace"},
        {"name": "", "role": "", "email": "", "profile_url": ""},
    ]
    assert client.post(url("edit", draft), post_data(draft, team=team)).status_code == 302
    members = list(draft.team_members.values_list("name", "role", "profile_url"))
    assert members == [("Grace", "CTO", "https://github.com/grace")]


def test_team_row_without_name_is_a_clear_error(client, draft):
    client.force_login(draft.owner)
    team = [{"name": "", "role": "CTO", "email": "", "profile_url": ""}]
    response = client.post(url("edit", draft), post_data(draft, team=team))
    assert response.status_code == 400
    assert "Give this person&#x27;s name, or remove the row." in response.content.decode()


def test_add_a_person_without_javascript(client, draft):
    client.force_login(draft.owner)
    data = post_data(draft, startup_name="Saved First", team=[])
    data["action"] = "add_member"
    response = client.post(url("edit", draft), data)
    assert response["Location"].endswith("?add=1#section-team")
    html = client.get(response["Location"]).content.decode()
    assert 'name="team-0-name"' in html and 'name="team-1-name"' not in html
    draft.refresh_from_db()
    assert draft.startup_name == "Saved First"


def test_stale_version_is_refused_and_the_input_shown_back(client, draft):
    client.force_login(draft.owner)
    tab_one = post_data(draft, startup_name="From tab one", team=[])
    tab_two = post_data(draft, startup_name="From tab two", city="Nice", team=[])
    assert client.post(url("edit", draft), tab_one).status_code == 302

    response = client.post(url("edit", draft), tab_two)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Your changes were not saved" in html
    assert 'value="From tab two"' in html and 'value="Nice"' in html  # nothing they typed is lost
    assert "From tab one" in html  # the saved version is shown next to theirs
    draft.refresh_from_db()
    assert (draft.startup_name, draft.city, draft.version) == ("From tab one", "", 2)
    # The page now carries the current version: saving it again is a deliberate overwrite,
    # so the background autosave stays paused on this page.
    assert 'name="version" value="2"' in html
    assert "data-autosave-paused" in html
    assert "data-autosave-paused" not in client.get(url("edit", draft)).content.decode()


def test_stale_autosave_pauses_with_a_message(client, draft):
    co_founder = UserFactory()
    draft.memberships.create(user=co_founder, call=draft.call)
    stale = post_data(draft, city="Stale")
    client.force_login(co_founder)
    assert client.post(url("autosave", draft), post_data(draft, city="Fresh")).status_code == 200
    client.force_login(draft.owner)
    response = client.post(url("autosave", draft), stale)
    assert response.status_code == 409
    assert response.json()["status"] == "conflict"
    draft.refresh_from_db()
    assert draft.city == "Fresh"


def test_a_valid_deck_is_stored_privately_under_a_generated_name(client, draft, settings, deck_storage):
    client.force_login(draft.owner)
    data = post_data(draft)
    data["pitch_deck"] = SimpleUploadedFile("Our Deck (final).pdf", minimal_pdf(), content_type="application/pdf")
    assert client.post(url("edit", draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.pitch_deck_name == "Our Deck (final).pdf"
    assert draft.pitch_deck.name.startswith(f"decks/{draft.call_id}/") and "final" not in draft.pitch_deck.name
    if deck_storage == "local":
        assert str(settings.PRIVATE_MEDIA_ROOT) in draft.pitch_deck.path
    else:
        bucket = settings.STORAGES["private"]["OPTIONS"]["bucket_name"]
        head = s3_client(settings.STORAGES["private"]["OPTIONS"]["endpoint_url"]).head_object(
            Bucket=bucket, Key=draft.pitch_deck.name, ChecksumMode="ENABLED"
        )
        assert head["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(minimal_pdf()).digest()).decode()
    with pytest.raises(ValueError):
        draft.pitch_deck.url  # noqa: B018 - no public address, in either storage
    assert draft.pitch_deck.read().startswith(b"%PDF-")
    assert "Our Deck (final).pdf" in client.get(url("edit", draft)).content.decode()


@pytest.mark.usefixtures("deck_storage")
def test_replacing_and_removing_the_deck_deletes_the_old_file(client, draft, django_capture_on_commit_callbacks):
    client.force_login(draft.owner)
    draft.pitch_deck.save("x.pdf", io.BytesIO(minimal_pdf()))
    storage, old_name = draft.pitch_deck.storage, draft.pitch_deck.name
    data = post_data(draft)
    data["pitch_deck"] = SimpleUploadedFile("v2.pdf", minimal_pdf())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("edit", draft), data)
    draft.refresh_from_db()
    new_name = draft.pitch_deck.name
    assert not storage.exists(old_name) and storage.exists(new_name)
    data = post_data(draft, remove_deck="on")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("edit", draft), data)
    draft.refresh_from_db()
    assert not draft.pitch_deck and draft.pitch_deck_name == ""
    assert not storage.exists(new_name)


def test_rejected_deck_keeps_the_other_answers(client, draft):
    client.force_login(draft.owner)
    data = post_data(draft, startup_name="Saved Anyway")
    data["pitch_deck"] = SimpleUploadedFile("deck.pdf", b"GIF89a not a pdf")
    response = client.post(url("edit", draft), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your answers are saved, but the pitch deck was not" in html
    assert "This file is not a PDF." in html
    draft.refresh_from_db()
    assert draft.startup_name == "Saved Anyway" and not draft.pitch_deck
    assert f'name="version" value="{draft.version}"' in html


def test_every_saved_answer_is_shown_back_in_the_form(client, draft):
    """Saving the page as it loads must change nothing: a field rendered empty would be wiped."""
    from tests.applications.helpers import complete

    complete(draft)
    client.force_login(draft.owner)
    html = client.get(url("edit", draft)).content.decode()
    for value in (
        'value="https://kitchen.example.eu"',
        'value="Mistral Kitchen"',
        'value="2024-05-01"',
        "Restaurants waste food.</textarea>",
    ):
        assert value in html, value
    form = client.get(url("edit", draft)).context["form"]
    for name in form.fields:
        if name not in {"version", "pitch_deck", "remove_deck", "foundation_models_other"}:
            assert form[name].value() not in (None, "", []), name


def test_row_added_on_the_page_and_already_autosaved_is_kept_by_the_explicit_save(client, draft):
    client.force_login(draft.owner)
    TeamMemberFactory(application=draft, name="First")
    page = post_data(draft)  # the page as loaded: one row
    team = [
        {"name": "First", "role": "CEO", "email": "", "profile_url": ""},
        {"name": "Added In Page", "role": "CTO", "email": "", "profile_url": ""},
    ]
    autosave = post_data(draft, team=team)
    assert client.post(url("autosave", draft), autosave).status_code == 200
    explicit = {**autosave, "version": "2", "team-INITIAL_FORMS": page["team-INITIAL_FORMS"]}
    assert client.post(url("edit", draft), explicit).status_code == 302
    assert list(draft.team_members.values_list("name", flat=True)) == ["First", "Added In Page"]


def _decks_in(storage, folder):
    try:
        return set(storage.listdir(folder)[1])
    except FileNotFoundError:
        return set()


@pytest.mark.usefixtures("deck_storage")
def test_a_refused_save_leaves_no_deck_file_behind(draft):
    """The deck is written before the row is locked; when the save is then refused, the file goes."""
    storage = Application._meta.get_field("pitch_deck").storage
    folder = f"decks/{draft.call_id}"
    before = _decks_in(storage, folder)
    with pytest.raises(StaleVersion):
        save_application(
            draft.pk,
            by=draft.owner,
            expected_version=draft.version - 1,
            values={"city": "Lost"},
            deck=SimpleUploadedFile("d.pdf", minimal_pdf()),
        )
    draft.refresh_from_db()
    assert not draft.pitch_deck and draft.city != "Lost"
    assert _decks_in(storage, folder) == before
