import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import User
from reviews.models import AssignmentState
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.reviews import AssignmentFactory
from tests.storage_helpers import s3_client

# Every test runs on the local folder and on a private bucket of a real S3 API server.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("deck_storage")]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def application():
    app = ApplicationFactory(submitted=True)
    app.pitch_deck.save("anything.pdf", ContentFile(PDF))
    return app


def get_deck(client, user, application):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("applications:deck", kwargs={"pk": application.pk}))


def test_owner_downloads_as_attachment(client, application):
    response = get_deck(client, application.owner, application)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF


def test_assigned_reviewer_and_organiser_may_download(client, application):
    reviewer = AssignmentFactory(application=application).reviewer
    assert get_deck(client, reviewer, application).status_code == 200
    organiser = User.objects.create_superuser("boss@example.org", "boss@example.org", "pw-123456789")
    assert get_deck(client, organiser, application).status_code == 200


def test_others_get_404(client, application):
    assert get_deck(client, UserFactory(), application).status_code == 404
    released = AssignmentFactory(application=application, state=AssignmentState.CONFLICTED).reviewer
    assert get_deck(client, released, application).status_code == 404
    unassigned_reviewer = AssignmentFactory().reviewer
    assert get_deck(client, unassigned_reviewer, application).status_code == 404


def test_anonymous_is_sent_to_login(client, application):
    response = get_deck(client, None, application)
    assert response.status_code == 302


def test_deck_has_no_public_url(application):
    with pytest.raises(ValueError):
        application.pitch_deck.url  # noqa: B018


@pytest.fixture
def presigned(settings, deck_storage):
    if deck_storage == "local":
        pytest.skip("pre-signed URLs exist only on object storage")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {**settings.STORAGES["private"]["OPTIONS"], "presigned_downloads": True},
        },
    }


@pytest.mark.usefixtures("presigned")
def test_presigned_download_is_issued_after_the_check_and_expires_soon(client, application):
    response = get_deck(client, application.owner, application)
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=60" in location
    with urllib.request.urlopen(location) as s3_response:  # the browser's next request, to the bucket
        assert s3_response.read() == PDF
        assert s3_response.headers["Content-Disposition"] == f'attachment; filename="pitch-deck-{application.pk}.pdf"'
        assert s3_response.headers["Content-Type"] == "application/pdf"
    assert get_deck(client, UserFactory(), application).status_code == 404  # no URL for others


@pytest.mark.usefixtures("presigned")
def test_the_object_itself_is_not_public(application, settings):
    options = settings.STORAGES["private"]["OPTIONS"]
    acl = s3_client(options["endpoint_url"]).get_object_acl(
        Bucket=options["bucket_name"], Key=application.pitch_deck.name
    )
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]  # the owner only
    assert not any("AllUsers" in str(grant["Grantee"]) for grant in acl["Grants"])
