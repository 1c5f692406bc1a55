"""The founder's application page from the cache: who may see it decided by the database (on every
request for a co-founder), changes shown at once, nobody's page served to someone else."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.http import Http404
from django.test import Client
from django.utils import timezone

from accounts import user_cache
from applications import access, caching, selectors
from applications.models import Application, Membership, Status
from applications.services import team
from applications.services.submission import submit_application
from cohorts.models import Offer
from tests.applications.helpers import complete, url
from tests.cache_helpers import csrf_token_in, kill_cache, settle
from tests.factories.accounts import UserFactory
from tests.factories.applications import TeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["database sessions", "cached sessions and users"])
def _sessions(request, settings):
    """Every rule holds both ways: with sessions and users from the cache (production with Redis),
    the page's cache keys are read together with the user (accelerator.pagecache.read_ahead)."""
    if request.param == "cached sessions and users":
        settings.SESSION_ENGINE = "accounts.sessions"
        settings.AUTH_USER_CACHE = True
    else:
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
        settings.AUTH_USER_CACHE = False


def page(client, application):
    response = client.get(url("detail", application))
    assert response.status_code == 200
    return response


def cached(client, application) -> str:
    """The page, asserting it came from the cache (nothing rendered)."""
    settle(*caching.generation_keys(application.pk))
    page(client, application)
    response = page(client, application)
    assert response.context is None, "rendered, not served from the cache"
    return response.content.decode()


def settle_user(user):
    """As if the minute after signing in (which saves last_login) had passed: the user's cache entry is used."""
    settle(*(user_cache.user_key(path, user.pk) for path in django_settings.AUTHENTICATION_BACKENDS))


@pytest.fixture
def owner_client(client, draft):
    client.force_login(draft.owner)
    return client


@pytest.fixture
def co_founder(draft):
    grace = UserFactory(first_name="Grace", last_name="Hopper")
    Membership.objects.create(application=draft, user=grace, call=draft.call)
    return grace


def test_the_owners_page_is_served_from_the_cache_without_asking_the_database(
    owner_client, draft, settings, django_assert_num_queries
):
    draft.startup_name = "Cached Kitchen"
    draft.save()
    settle_user(draft.owner)
    cached(owner_client, draft)
    # With the sessions and the user in the cache, nothing at all; on SQLite's setup, those two.
    with django_assert_num_queries(0 if settings.AUTH_USER_CACHE else 2):
        assert "Cached Kitchen" in page(owner_client, draft).content.decode()


def test_a_co_founders_page_asks_the_database_on_every_request(draft, co_founder, settings, django_assert_num_queries):
    grace = Client()
    grace.force_login(co_founder)
    settle_user(co_founder)
    cached(grace, draft)
    with django_assert_num_queries(1 if settings.AUTH_USER_CACHE else 3):
        assert "Leave this application" in page(grace, draft).content.decode()
    # Even a removal that marks nothing in the cache (raw SQL) refuses her at once.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM applications_membership WHERE user_id = %s", [co_founder.pk])
    assert grace.get(url("detail", draft)).status_code == 404


def test_permission_sql_agrees_with_the_orm(draft, co_founder):
    for user in (draft.owner, co_founder):
        assert access.for_editor(user, draft.pk) == draft
        owner_id, version, status, updated_at, _call_updated_at = selectors.founder_page_version(user, draft.pk)
        assert (owner_id, version, status) == (draft.owner_id, draft.version, draft.status)
        assert updated_at is not None
    for stranger in (UserFactory(), UserFactory(is_staff=True, is_superuser=True)):
        with pytest.raises(Http404):
            access.for_editor(stranger, draft.pk)
        with pytest.raises(Http404):
            selectors.founder_page_version(stranger, draft.pk)
    with pytest.raises(Http404):
        selectors.founder_page_version(draft.owner, draft.pk + 1000)


def test_owner_co_founder_and_stranger_each_get_their_own_answer(owner_client, draft, co_founder):
    owner_page = cached(owner_client, draft)
    assert "Invite a co-founder by e-mail" in owner_page and draft.owner.email in owner_page
    grace = Client()
    grace.force_login(co_founder)
    grace_page = page(grace, draft).content.decode()
    assert "Leave this application" in grace_page and "Invite a co-founder by e-mail" not in grace_page
    assert co_founder.email in grace_page  # her own navigation
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(url("detail", draft)).status_code == 404
    assert Client().get(url("detail", draft)).status_code == 302  # to the login page


def test_an_application_reassigned_in_the_admin_leaves_its_former_owner_at_once(owner_client, draft):
    """The admin's change form saves the application: its signal ends the former owner's entry."""
    cached(owner_client, draft)
    draft.owner = UserFactory()
    draft.save()
    assert owner_client.get(url("detail", draft)).status_code == 404


def test_a_deleted_application_is_gone_for_its_owner_at_once(owner_client, draft):
    cached(owner_client, draft)
    Application.objects.filter(pk=draft.pk).delete()  # as the retention purge deletes drafts
    assert owner_client.get(url("detail", draft)).status_code == 404


def test_a_removed_co_founder_loses_the_page_at_once(draft, co_founder):
    grace = Client()
    grace.force_login(co_founder)
    cached(grace, draft)
    team.remove_member(draft.pk, Membership.objects.get(user=co_founder).pk, by=draft.owner)
    assert grace.get(url("detail", draft)).status_code == 404


def test_answers_and_status_changes_show_at_once(owner_client, draft):
    complete(draft)
    cached(owner_client, draft)
    submit_application(draft.pk, by=draft.owner)
    html = page(owner_client, draft).content.decode()
    assert "Submitted on" in html
    draft.refresh_from_db()
    draft.city = "Marseille"
    draft.save()
    assert "Marseille" in page(owner_client, draft).content.decode()


def test_team_invitations_co_founders_and_offers_show_at_once(owner_client, draft):
    cached(owner_client, draft)
    TeamMemberFactory(application=draft, name="Katherine Johnson")
    assert "Katherine Johnson" in page(owner_client, draft).content.decode()

    cached(owner_client, draft)
    team.invite(draft.pk, by=draft.owner, email="dorothy@example.com")
    assert "dorothy@example.com" in page(owner_client, draft).content.decode()

    cached(owner_client, draft)
    mary = UserFactory(first_name="Mary", last_name="Jackson")
    Membership.objects.create(application=draft, user=mary, call=draft.call)
    assert "Mary Jackson" in page(owner_client, draft).content.decode()

    cached(owner_client, draft)
    mary.first_name = "Marie"
    mary.save()
    assert "Marie Jackson" in page(owner_client, draft).content.decode()

    cached(owner_client, draft)
    Offer.objects.create(application=draft, call=draft.call, seat=1, respond_by=timezone.now() + dt.timedelta(days=7))
    assert "Your offer" in page(owner_client, draft).content.decode()


def test_a_revoked_invitation_leaves_the_page_at_once(owner_client, draft):
    invitation, _token = team.invite(draft.pk, by=draft.owner, email="dorothy@example.com")
    assert "dorothy@example.com" in cached(owner_client, draft)
    team.revoke_invitation(draft.pk, invitation.pk, by=draft.owner)
    assert "dorothy@example.com" not in page(owner_client, draft).content.decode()


def test_a_change_to_many_applications_at_once_shows_at_once(owner_client, draft):
    """An update() skips save() and its signals (locking a shortlist changes statuses that way)."""
    complete(draft)
    submit_application(draft.pk, by=draft.owner)
    assert "Submitted on" in cached(owner_client, draft)
    Application.objects.filter(call=draft.call).update(status=Status.SHORTLISTED)
    html = page(owner_client, draft).content.decode()
    assert "Submitted on" not in html and str(Status.SHORTLISTED.label) in html


def test_a_call_change_shows_at_once(owner_client, draft):
    cached(owner_client, draft)
    draft.call.title = "Renamed call"
    draft.call.save()
    assert "Renamed call" in page(owner_client, draft).content.decode()


def test_the_deadline_and_invitation_expiry_pass_on_time(client, draft):
    closes = draft.call.closes_at
    invitation, _token = team.invite(draft.pk, by=draft.owner, email="late@example.com")
    with time_machine.travel(invitation.expires_at - dt.timedelta(seconds=1), tick=False):
        client.force_login(draft.owner)
        assert "Waiting for an answer" in cached(client, draft)
    with time_machine.travel(invitation.expires_at, tick=False):
        assert "Expired: invite again" in page(client, draft).content.decode()
    with time_machine.travel(closes - dt.timedelta(seconds=1), tick=False):
        client.force_login(draft.owner)  # weeks later: a new session
        assert "Continue editing" in cached(client, draft)
    with time_machine.travel(closes, tick=False):
        html = page(client, draft).content.decode()
    assert "Applications are closed." in html and "Continue editing" not in html


def test_the_cached_page_forms_carry_the_visitors_own_csrf_token(draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(draft.owner)
    token = csrf_token_in(cached(client, draft))
    response = client.post(url("invite", draft), {"email": "ok@example.com", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_the_page_works_with_the_cache_down(owner_client, draft, settings):
    kill_cache(settings)
    draft.startup_name = "No Cache Kitchen"
    draft.save()
    assert "No Cache Kitchen" in page(owner_client, draft).content.decode()
    assert "No Cache Kitchen" in page(owner_client, draft).content.decode()
