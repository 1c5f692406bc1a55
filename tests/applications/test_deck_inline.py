"""The inline deck the reviewer's page frames: same access rule as the download, shown in place,
framed only by the portal itself, on the local folder and on object storage (pre-signed or not)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.reviews import AssignmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("deck_storage")]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def application():
    app = ApplicationFactory(submitted=True)
    app.pitch_deck.save("anything.pdf", ContentFile(PDF))
    return app


def view_deck(client, user, application):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("applications:deck_inline", kwargs={"pk": application.pk}))


def assert_inline_deck(response, application):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="pitch-deck-{application.pk}.pdf"'
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


def test_assigned_reviewer_sees_the_deck_inline_framed_by_the_portal_only(client, application):
    reviewer = AssignmentFactory(application=application).reviewer
    assert_inline_deck(view_deck(client, reviewer, application), application)


def test_the_download_stays_an_attachment_that_no_page_may_frame(client, application):
    reviewer = AssignmentFactory(application=application).reviewer
    client.force_login(reviewer)
    response = client.get(reverse("applications:deck", kwargs={"pk": application.pk}))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Frame-Options"] == "DENY"


def test_inline_deck_is_streamed_even_where_downloads_are_presigned(client, application, settings, deck_storage):
    if deck_storage == "local":
        pytest.skip("pre-signed URLs exist only on object storage")
    private = settings.STORAGES["private"]
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**private, "OPTIONS": {**private["OPTIONS"], "presigned_downloads": True}},
    }
    reviewer = AssignmentFactory(application=application).reviewer
    # Same origin: the viewer never leaves the portal for the bucket.
    assert_inline_deck(view_deck(client, reviewer, application), application)


def test_same_access_rule_as_the_download(client, application):
    assert view_deck(client, UserFactory(), application).status_code == 404
    assert view_deck(client, AssignmentFactory().reviewer, application).status_code == 404
    client.logout()
    assert view_deck(client, None, application).status_code == 302
    assert_inline_deck(view_deck(client, application.owner, application), application)


def test_no_deck_is_a_404(client):
    app = ApplicationFactory(submitted=True)
    assert view_deck(client, app.owner, app).status_code == 404
