"""Who reaches which application URL: founders' pages are for the owner and co-founders only;
the deck also for the call's assigned reviewers and organisers. Everyone else gets 404 (ids reveal
nothing) and anonymous visitors are sent to log in."""

import io

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ORGANISERS, REVIEWERS
from applications.models import Membership
from tests.applications.helpers import complete, minimal_pdf, url
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.reviews import AssignmentFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

FOUNDER_PAGES = ["detail", "edit", "submit", "withdraw"]  # GET
FOUNDER_ACTIONS = ["autosave", "submit", "withdraw", "invite", "leave"]  # POST


@pytest.fixture
def world(draft):
    application = complete(draft)
    application.pitch_deck.save("deck.pdf", io.BytesIO(minimal_pdf()))
    co_founder = UserFactory()
    membership = Membership.objects.create(application=application, user=co_founder, call=application.call)
    other_founder = ApplicationFactory(call=application.call).owner
    reviewer = ReviewerFactory()
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS)[0])
    AssignmentFactory(application=application, reviewer=reviewer)
    organiser = UserFactory(is_staff=True)
    organiser.groups.add(Group.objects.get_or_create(name=ORGANISERS)[0])
    superuser = UserFactory(is_staff=True, is_superuser=True)
    return {
        "application": application,
        "membership": membership,
        "owner": application.owner,
        "co_founder": co_founder,
        "other_founder": other_founder,
        "reviewer": reviewer,
        "organiser": organiser,
        "superuser": superuser,
        "anonymous": None,
    }


def as_user(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "pages", "deck"),
    [
        ("owner", 200, 200),
        ("co_founder", 200, 200),
        ("other_founder", 404, 404),
        ("reviewer", 404, 200),
        ("organiser", 404, 200),
        ("superuser", 404, 200),
        ("anonymous", 302, 302),
    ],
)
def test_get_matrix(client, world, role, pages, deck):
    application = world["application"]
    client = as_user(client, world[role])
    for name in FOUNDER_PAGES:
        response = client.get(url(name, application))
        assert response.status_code == pages, (role, name)
        if pages == 302:
            assert response["Location"].startswith("/accounts/login/?next=")
    assert client.get(url("deck", application)).status_code == deck


@pytest.mark.parametrize("role", ["other_founder", "reviewer", "organiser", "superuser", "anonymous"])
def test_outsiders_change_nothing(client, world, role):
    application = world["application"]
    client = as_user(client, world[role])
    expected = 302 if role == "anonymous" else 404
    posts = [url(name, application) for name in [*FOUNDER_ACTIONS, "edit"]]
    posts += [
        url("remove_member", application, member_pk=world["membership"].pk),
        url("revoke_invitation", application, invitation_pk=1),
    ]
    for path in posts:
        assert client.post(path, {"email": "x@example.com", "city": "Hacked"}).status_code == expected, path
    application.refresh_from_db()
    assert (application.status, application.city, application.version) == ("draft", "Paris", 1)
    assert Membership.objects.filter(pk=world["membership"].pk).exists()
    assert not application.invitations.exists()


def test_unknown_id_is_404_like_someone_elses(client, world):
    client = as_user(client, world["owner"])
    pk = str(world["application"].pk)
    for name in [*FOUNDER_PAGES, "deck"]:
        assert client.get(url(name, world["application"]).replace(pk, "999999")).status_code == 404


def test_list_shows_only_own_and_joined_applications(client, world):
    client = as_user(client, world["co_founder"])
    html = client.get("/applications/").content.decode()
    assert world["application"].get_absolute_url() in html
    other = world["other_founder"].applications.get()
    assert other.get_absolute_url() not in html
