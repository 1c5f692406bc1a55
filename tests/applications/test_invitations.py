import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse

from applications.models import Invitation, Membership
from applications.services import team
from mail.models import OutboxMessage
from tests.applications.helpers import complete, post_data, url
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory

pytestmark = pytest.mark.django_db


def invite(client, application, email):
    client.force_login(application.owner)
    return client.post(url("invite", application), {"email": email}, follow=True)


def link_from_outbox(email) -> str:
    body = OutboxMessage.objects.get(kind="invitation", to=email).body
    return re.search(r"http://127\.0\.0\.1:8000(/invitations/\S+/)", body).group(1)


def test_owner_invites_by_email_and_the_invitee_signs_up_and_joins(client, draft):
    response = invite(client, draft, "grace@example.com")
    assert "Invitation sent to grace@example.com." in response.content.decode()
    message = OutboxMessage.objects.get(kind="invitation")
    assert message.to == "grace@example.com" and message.dedupe_key == f"invitation:{Invitation.objects.get().pk}"
    assert "Ada Lovelace" in message.subject
    link = link_from_outbox("grace@example.com")
    invitation = Invitation.objects.get()
    assert invitation.token_hash != link.split("/")[2]  # only a hash is stored

    client.logout()
    page = client.get(link).content.decode()
    assert "sign up or log in with grace@example.com" in page
    signup = f"{reverse('account_signup')}?next={link}"
    assert signup in page

    grace = UserFactory(email="grace@example.com")
    EmailAddress.objects.create(user=grace, email="grace@example.com", verified=True, primary=True)
    client.force_login(grace)
    assert "Join the application" in client.get(link).content.decode()
    response = client.post(link)
    assert response["Location"] == draft.get_absolute_url()
    assert Membership.objects.filter(application=draft, user=grace, call=draft.call).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == grace and invitation.accepted_at is not None
    # The co-founder edits and sees everything.
    assert client.get(url("detail", draft)).status_code == 200
    assert client.post(url("edit", draft), post_data(draft, city="Berlin")).status_code == 302
    draft.refresh_from_db()
    assert draft.city == "Berlin"
    listing = client.get(reverse("applications:list")).content.decode()
    assert draft.get_absolute_url() in listing and "Co-founder, with Ada Lovelace" in listing


def test_reused_invitation_is_refused(client, draft):
    invite(client, draft, "grace@example.com")
    link = link_from_outbox("grace@example.com")
    grace = UserFactory(email="grace@example.com")
    client.force_login(grace)
    client.post(link)
    # Another account with the same link (forwarded e-mail) cannot use it again.
    other = UserFactory(email="other@example.com")
    client.force_login(other)
    response = client.post(link)
    assert response.status_code == 403
    assert "already been used" in response.content.decode()
    assert not Membership.objects.filter(user=other).exists()
    # Removed by the owner, the first invitee cannot come back with the same link either.
    Membership.objects.filter(user=grace).delete()
    client.force_login(grace)
    assert client.post(link).status_code == 403
    assert not Membership.objects.filter(user=grace).exists()


def test_expired_invitation_is_refused(client, draft):
    invite(client, draft, "grace@example.com")
    link = link_from_outbox("grace@example.com")
    grace = UserFactory(email="grace@example.com")
    expires = Invitation.objects.get().expires_at
    with time_machine.travel(expires, tick=False):
        client.force_login(grace)
        response = client.post(link)
    assert response.status_code == 403
    assert "This invitation has expired" in response.content.decode()
    assert not Membership.objects.exists()
    with time_machine.travel(expires - dt.timedelta(seconds=1), tick=False):
        client.force_login(grace)
        assert client.post(link).status_code == 302


def test_wrong_account_is_refused_clearly(client, draft):
    invite(client, draft, "grace@example.com")
    link = link_from_outbox("grace@example.com")
    mallory = UserFactory(email="mallory@example.com")
    EmailAddress.objects.create(user=mallory, email="grace@example.com", verified=False)
    client.force_login(mallory)
    response = client.post(link)
    assert response.status_code == 403
    html = response.content.decode()
    assert "sent to another e-mail address" in html and "Log out and use the invited address" in html
    assert not Membership.objects.exists()
    assert Invitation.objects.get().accepted_at is None  # still usable by the right person


def test_a_verified_secondary_address_may_accept(client, draft):
    invite(client, draft, "Grace@Example.com")
    link = link_from_outbox("Grace@Example.com")
    grace = UserFactory(email="grace.primary@example.com")
    EmailAddress.objects.create(user=grace, email="grace@example.com", verified=True)
    client.force_login(grace)
    assert client.post(link).status_code == 302


def test_revoked_and_replaced_invitations_stop_working(client, draft):
    invite(client, draft, "grace@example.com")
    first = link_from_outbox("grace@example.com")
    OutboxMessage.objects.all().delete()
    invite(client, draft, "grace@example.com")  # sent again: the old link is replaced
    second = link_from_outbox("grace@example.com")
    grace = UserFactory(email="grace@example.com")
    client.force_login(grace)
    assert "cancelled" in client.get(first).content.decode()
    client.force_login(draft.owner)
    client.post(url("revoke_invitation", draft, invitation_pk=Invitation.objects.get(revoked_at=None).pk))
    client.force_login(grace)
    assert client.post(second).status_code == 403
    assert not Membership.objects.exists()


def test_someone_on_another_application_to_the_call_cannot_join(client, draft):
    invite(client, draft, "grace@example.com")
    link = link_from_outbox("grace@example.com")
    grace = UserFactory(email="grace@example.com")
    ApplicationFactory(call=draft.call, owner=grace)
    client.force_login(grace)
    response = client.post(link)
    assert response.status_code == 403
    assert "only one application per call" in response.content.decode()


def test_unknown_token_is_404(client):
    assert client.get(reverse("applications:invitation", args=["not-a-token"])).status_code == 404


def test_only_the_owner_invites_and_removes(client, draft):
    grace = UserFactory(email="grace@example.com")
    membership = Membership.objects.create(application=draft, user=grace, call=draft.call)
    client.force_login(grace)
    response = client.post(url("invite", draft), {"email": "x@example.com"}, follow=True)
    assert "Only the person who started the application can invite" in response.content.decode()
    assert not Invitation.objects.exists()
    response = client.post(url("remove_member", draft, member_pk=membership.pk), follow=True)
    assert "Only the person who started the application can remove" in response.content.decode()
    assert Membership.objects.exists()
    # The owner can remove; the removed co-founder loses access.
    client.force_login(draft.owner)
    client.post(url("remove_member", draft, member_pk=membership.pk))
    client.force_login(grace)
    assert client.get(url("detail", draft)).status_code == 404


def test_co_founder_can_leave(client, draft):
    grace = UserFactory()
    Membership.objects.create(application=draft, user=grace, call=draft.call)
    client.force_login(grace)
    assert client.post(url("leave", draft))["Location"] == reverse("applications:list")
    assert not Membership.objects.exists()
    client.force_login(draft.owner)
    assert client.post(url("leave", draft), follow=True).status_code == 200
    assert draft.owner == type(draft).objects.get(pk=draft.pk).owner


def test_invitation_mail_is_in_the_invitees_language(client, draft):
    UserFactory(email="jean@example.com", language="fr")
    invite(client, draft, "jean@example.com")
    message = OutboxMessage.objects.get(kind="invitation")
    assert message.language == "fr"


def test_owner_cannot_invite_themselves_and_invitations_are_capped(draft):
    with pytest.raises(team.InvitationError):
        team.invite(draft.pk, by=draft.owner, email=draft.owner.email.upper())
    for i in range(team.MAX_COFOUNDERS):
        team.invite(draft.pk, by=draft.owner, email=f"p{i}@example.com")
    with pytest.raises(team.InvitationError) as caught:
        team.invite(draft.pk, by=draft.owner, email="one-more@example.com")
    assert caught.value.code == "too_many"


def test_co_founders_see_the_people_and_the_owner_manages_them(client, draft):
    complete(draft)
    grace = UserFactory(email="grace@example.com", first_name="Grace", last_name="Hopper")
    Membership.objects.create(application=draft, user=grace, call=draft.call)
    team.invite(draft.pk, by=draft.owner, email="pending@example.com")
    client.force_login(grace)
    html = client.get(url("detail", draft)).content.decode()
    assert "Grace Hopper" in html and "pending@example.com" in html
    assert "Invite a co-founder" not in html and "Leave this application" in html
    client.force_login(draft.owner)
    html = client.get(url("detail", draft)).content.decode()
    assert "Invite a co-founder" in html and url("remove_member", draft, member_pk=grace.memberships.get().pk) in html
