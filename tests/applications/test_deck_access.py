import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import User
from reviews.models import AssignmentState
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.reviews import AssignmentFactory

pytestmark = pytest.mark.django_db
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
