"""A change that ends someone's access takes effect on their very next request, however it is made:
through the model (save, delete, the portal's own pages) or with a QuerySet.update() or delete()
that sends no signal.

Nothing is cached between requests that could outlive such a change: the session comes from
Django's own backend (cached_db on Redis with REDIS_URL, the database otherwise) and the signed-in
user from the database on every request, checked by django.contrib.auth (active account, session
hash of the current password); every founder page asks the database who may see it. Run with
DATABASE_URL and REDIS_URL to check the same on PostgreSQL and Redis.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from accounts.models import User
from applications.models import Application, Membership
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LIST = reverse("applications:list")


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # allauth keeps rate-limit counters in the cache, which outlives a single test.
    settings.ACCOUNT_RATE_LIMITS = False


def signed_in(user) -> Client:
    """A browser signed in through the login page, that has loaded a page since."""
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(LIST).status_code == 200
    return client


def staff_signed_in(user) -> Client:
    client = Client()
    response = client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    return client


def sent_to_login(response, login_url) -> bool:
    return response.status_code == 302 and response["Location"].startswith(login_url)


@pytest.mark.parametrize("how", ["save", "update"])
def test_a_deactivated_founder_is_signed_out_on_the_next_request(how):
    founder = UserFactory()
    client = signed_in(founder)
    if how == "save":
        founder.is_active = False
        founder.save()
    else:
        User.objects.filter(pk=founder.pk).update(is_active=False)
    assert sent_to_login(client.get(LIST), reverse("account_login"))


@pytest.mark.parametrize("how", ["save", "update"])
def test_a_deactivated_staff_account_loses_the_admin_on_the_next_request(how):
    organiser = UserFactory(is_staff=True, is_superuser=True)
    client = staff_signed_in(organiser)
    if how == "save":
        organiser.is_active = False
        organiser.save()
    else:
        User.objects.filter(pk=organiser.pk).update(is_active=False)
    assert sent_to_login(client.get(reverse("admin:index")), reverse("admin:login"))
    assert sent_to_login(client.get(reverse("admin:accounts_user_changelist")), reverse("admin:login"))


@pytest.mark.parametrize("how", ["save", "update"])
def test_a_changed_password_ends_other_sessions_on_the_next_request(how):
    founder = UserFactory()
    other_device = signed_in(founder)
    if how == "save":
        founder.set_password("a-brand-new-pass-42")
        founder.save()
    else:
        User.objects.filter(pk=founder.pk).update(password=make_password("a-brand-new-pass-42"))
    assert sent_to_login(other_device.get(LIST), reverse("account_login"))


def test_a_password_changed_on_the_account_page_keeps_that_session_and_ends_the_others():
    founder = UserFactory()
    other_device = signed_in(founder)
    this_device = signed_in(founder)
    response = this_device.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-brand-new-pass-42", "password2": "a-brand-new-pass-42"},
    )
    assert response.status_code == 302
    assert this_device.get(LIST).status_code == 200
    assert sent_to_login(other_device.get(LIST), reverse("account_login"))


@pytest.fixture
def shared():
    """An application, its owner and a co-founder, both signed in and able to open it."""
    call = CallFactory()
    owner, co_founder = UserFactory(), UserFactory()
    application = ApplicationFactory(call=call, owner=owner)
    Membership.objects.create(application=application, user=co_founder, call=call)
    owner_client, co_founder_client = signed_in(owner), signed_in(co_founder)
    for client in (owner_client, co_founder_client):
        assert client.get(application.get_absolute_url()).status_code == 200
    return application, owner_client, co_founder, co_founder_client


def founder_pages(application) -> list[str]:
    return [reverse(f"applications:{name}", args=[application.pk]) for name in ("detail", "edit", "deck", "submit")]


@pytest.mark.parametrize("how", ["owner_removes", "delete", "queryset_delete", "update"])
def test_a_removed_co_founder_loses_the_application_on_the_next_request(shared, how):
    application, owner_client, co_founder, client = shared
    membership = Membership.objects.get(application=application, user=co_founder)
    if how == "owner_removes":
        url = reverse("applications:remove_member", args=[application.pk, membership.pk])
        assert owner_client.post(url).status_code == 302
    elif how == "delete":
        membership.delete()
    elif how == "queryset_delete":
        Membership.objects.filter(pk=membership.pk).delete()
    else:
        Membership.objects.filter(pk=membership.pk).update(user=UserFactory())
    for url in founder_pages(application):
        assert client.get(url).status_code == 404, url
    assert application.startup_name not in client.get(LIST).content.decode()
    assert owner_client.get(application.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("how", ["delete", "queryset_delete", "update"])
def test_a_deleted_or_reassigned_application_is_gone_on_the_next_request(shared, how):
    application, owner_client, _co_founder, co_founder_client = shared
    pages = founder_pages(application)
    if how == "delete":
        application.delete()
    elif how == "queryset_delete":
        Application.objects.filter(pk=application.pk).delete()
    else:  # given to someone else: its former founders lose it as if it were deleted
        Membership.objects.filter(application=application).update(user=UserFactory())
        Application.objects.filter(pk=application.pk).update(owner=UserFactory())
    for client in (owner_client, co_founder_client):
        for url in pages:
            assert client.get(url).status_code == 404, url
