import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

from accounts.roles import ORGANISERS, REVIEWERS, is_organiser, is_reviewer
from reviews import services
from reviews.models import ReviewerProfile
from reviews.roles import sync_role_groups
from tests.factories.accounts import UserFactory
from tests.reviews.conftest import make_organiser

pytestmark = pytest.mark.django_db


def codenames(name):
    return set(Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename"))


def test_groups_exist_with_their_permissions():
    organisers, reviewers = codenames(ORGANISERS), codenames(REVIEWERS)
    assert reviewers == {("reviews", "view_myreview"), ("reviews", "change_myreview")}
    for expected in [
        ("calls", "change_call"),
        ("applications", "view_application"),
        ("reviews", "add_assignment"),
        ("reviews", "view_review"),
        ("reviews", "view_reviewchange"),
        ("cohorts", "view_shortlistrun"),
        ("accounts", "view_user"),
    ]:
        assert expected in organisers
    assert ("accounts", "change_user") not in organisers  # staff accounts stay with superusers


def test_sync_restores_missing_permissions_and_is_idempotent():
    group = Group.objects.get(name=ORGANISERS)
    group.permissions.remove(Permission.objects.get(codename="view_review"))
    sync_role_groups(global_apps)
    sync_role_groups(global_apps)
    assert ("reviews", "view_review") in codenames(ORGANISERS)
    assert Group.objects.filter(name__in=[ORGANISERS, REVIEWERS]).count() == 2


def test_profile_makes_a_reviewer_and_removing_it_undoes_the_role():
    user = UserFactory()
    assert not is_reviewer(user)
    profile = services.save_reviewer_profile(
        ReviewerProfile(user=user, organisation="meta", email_domains=["@Meta.com ", "www.fb.com"])
    )
    user.refresh_from_db()
    assert user.is_staff and is_reviewer(user)
    assert profile.email_domains == ["fb.com", "meta.com"]

    services.remove_reviewer(profile)
    user.refresh_from_db()
    assert not is_reviewer(user)


def test_organiser_group_member_is_an_organiser():
    assert is_organiser(make_organiser())
    assert not is_organiser(UserFactory())


def test_organiser_gives_a_reviewer_profile_in_the_admin(client):
    from django.urls import reverse

    candidate = UserFactory()
    client.force_login(make_organiser())
    bad = client.post(
        reverse("admin:reviews_reviewerprofile_add"),
        {"user": candidate.pk, "organisation": "scaleway", "email_domains": "scaleway.com, not a domain"},
    )
    assert bad.status_code == 200 and "is not a domain name" in bad.content.decode()

    response = client.post(
        reverse("admin:reviews_reviewerprofile_add"),
        {"user": candidate.pk, "organisation": "scaleway", "email_domains": "scaleway.com, online.net"},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert is_reviewer(candidate)
    assert candidate.reviewer_profile.email_domains == ["online.net", "scaleway.com"]
