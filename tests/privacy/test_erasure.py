"""Deleting a founder's account: personal data erased, review records kept anonymised, offers respected."""

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from applications.models import Application, Invitation, Membership, StatusChange, TeamMember
from cohorts.models import Offer, OfferStatus
from mail.models import OutboxMessage, OutboxStatus
from privacy.models import ErasureRecord
from privacy.services import ANONYMISED_NAME, ErasureRefused, erase_account
from reviews.models import Assignment, Review, Score
from tests.factories.accounts import UserFactory
from tests.privacy.conftest import PASSWORD, days_ago

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("deck_storage")
def test_erasure_deletes_drafts_anonymises_submitted_and_keeps_reviews(ada, django_capture_on_commit_callbacks):
    user, draft, submitted = ada.user, ada.draft, ada.submitted
    draft_deck, submitted_deck = draft.pitch_deck.name, submitted.pitch_deck.name
    storage = draft.pitch_deck.storage
    assert storage.exists(draft_deck) and storage.exists(submitted_deck)
    review_ids = sorted(r.pk for r in ada.reviews)

    with django_capture_on_commit_callbacks(execute=True):
        record = erase_account(user.pk)

    # The draft is gone with its deck, its team, its co-founder access and its invitation.
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not storage.exists(draft_deck)
    # The submitted application stays for its reviews, without anything that names someone.
    submitted.refresh_from_db()
    assert submitted.startup_name == ANONYMISED_NAME
    for name in ("website", "city", "problem", "solution", "traction", "motivation", "pitch_deck_name"):
        assert getattr(submitted, name) == "", name
    assert submitted.founded_on is None and not submitted.pitch_deck and not storage.exists(submitted_deck)
    assert submitted.country.code == "FR" and submitted.stage == "mvp"  # categorical answers stay
    assert not TeamMember.objects.filter(application=submitted).exists()
    assert not Membership.objects.filter(application=submitted).exists()
    # Still under review: withdrawn, and the history says why.
    assert submitted.status == "withdrawn"
    last = StatusChange.objects.filter(application=submitted).last()
    assert (last.from_status, last.to_status, last.note) == ("submitted", "withdrawn", "Account deleted by its owner")
    # Reviews, scores and assignments are untouched and still point to it.
    assert sorted(Review.objects.filter(assignment__application=submitted).values_list("pk", flat=True)) == review_ids
    assert Score.objects.filter(review__assignment__application=submitted, value=4).count() == 2
    assert Assignment.objects.filter(application=submitted).count() == 2
    assert Review.objects.get(pk=review_ids[0]).comments == "Strong team."
    # She left Carol's application, which is untouched.
    ada.joined.refresh_from_db()
    assert ada.joined.startup_name == "Carol's Startup" and ada.joined.owner == ada.other_owner
    assert not Membership.objects.filter(user=user).exists()
    assert not Invitation.objects.filter(email__iexact="pending.cofounder@example.eu").exists()

    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("", "")
    assert user.email == f"deleted-{user.pk}@anonymised.invalid" and user.username == f"deleted-{user.pk}"
    assert not user.is_active and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not OutboxMessage.objects.filter(to__iexact="ada@example.eu").exists()
    assert "Ada" not in "".join(OutboxMessage.objects.filter(recipient=user).values_list("body", flat=True))
    assert record.deleted_applications == [draft.pk] and record.anonymised_applications == [submitted.pk]
    assert ErasureRecord.objects.get(user=user) == record


def test_co_founders_are_told_once_in_their_language(ada, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(ada.user.pk)
    told = [m for m in mail.outbox if m.to == [ada.co_founder.email] and "accès" in m.subject]
    assert len(told) == 2  # one per application Ada owned with him
    bodies = " ".join(m.body for m in told)
    assert "Draft Engine" in bodies and "Analytical Engines" in bodies
    assert ada.submitted.call.get_absolute_url() in bodies
    assert "Ada" not in bodies  # the deleted person is not named
    # Erasing again changes nothing and sends nothing.
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(ada.user.pk)
    assert len(mail.outbox) == sent


def test_pending_mail_to_the_erased_person_is_never_sent(ada, django_capture_on_commit_callbacks):
    pending = OutboxMessage.objects.filter(to="ada@example.eu", status=OutboxStatus.PENDING)
    assert pending.exists()  # the submission confirmation, not delivered yet
    ids = list(pending.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(ada.user.pk)
    from mail.services import deliver

    assert [deliver(pk) for pk in ids] == [False] * len(ids)
    assert not [m for m in mail.outbox if "ada@example.eu" in m.to]
    for message in OutboxMessage.objects.filter(pk__in=ids):
        assert message.status == OutboxStatus.FAILED and message.subject == "" and message.body == ""


def test_login_records_of_the_person_are_deleted(ada, rf):
    for username in ("ada@example.eu", "ADA@example.eu", "someone@else.eu"):
        AccessAttempt.objects.create(username=username, ip_address="10.0.0.1", failures_since_start=1)
        AccessLog.objects.create(username=username, ip_address="10.0.0.1")
    erase_account(ada.user.pk)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["someone@else.eu"]
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["someone@else.eu"]


def test_erased_account_can_no_longer_sign_in(ada, client):
    erase_account(ada.user.pk)
    assert authenticate(None, username="ada", password=PASSWORD) is None
    response = client.post(reverse("account_login"), {"login": "ada@example.eu", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", ["owner", "co-founder"])
def test_refused_while_an_offer_waits_for_an_answer(ada, role, client):
    application = ada.submitted if role == "owner" else ada.joined
    application.status = "offered"
    application.submitted_at = timezone.now()
    application.save()
    Offer.objects.create(application=application, call=application.call, seat=1, respond_by=days_ago(-3))
    with pytest.raises(ErasureRefused) as refused:
        erase_account(ada.user.pk)
    assert refused.value.code == "pending_offer" and refused.value.applications == [application]
    ada.user.refresh_from_db()
    assert ada.user.is_active and ada.user.email == "ada@example.eu"
    assert Application.objects.filter(pk=ada.draft.pk).exists()

    # The page says so, and the form is not even offered.
    client.force_login(ada.user)
    html = client.get(reverse("privacy:delete")).content.decode()
    assert "You cannot delete your account while an offer waits for an answer" in html
    assert escape(application.startup_name) in html and "Paris time" in html
    assert 'name="password"' not in html
    response = client.post(reverse("privacy:delete"), {"password": PASSWORD})
    assert response.status_code == 409
    ada.user.refresh_from_db()
    assert ada.user.is_active

    # Once answered, deletion goes through.
    Offer.objects.filter(application=application).update(status=OfferStatus.DECLINED, responded_at=timezone.now())
    assert erase_account(ada.user.pk).user == ada.user


def test_staff_accounts_are_not_erased_here(client):
    reviewer = UserFactory(is_staff=True)
    with pytest.raises(ErasureRefused):
        erase_account(reviewer.pk)
    client.force_login(reviewer)
    response = client.post(reverse("privacy:delete"), {"password": PASSWORD}, follow=True)
    assert "closed by an organiser" in response.content.decode()
    reviewer.refresh_from_db()
    assert reviewer.is_active


def test_page_shows_what_happens_then_deletes_with_the_password(ada, client):
    client.force_login(ada.user)
    other_session = Client()
    other_session.force_login(ada.user)
    html = client.get(reverse("privacy:delete")).content.decode()
    assert "Draft Engine" in html and "Analytical Engines" in html and "Carol&#x27;s Startup" in html
    assert "Bob Babbage" in html  # the co-founder who loses access
    assert 'autocomplete="current-password"' in html

    response = client.post(reverse("privacy:delete"), {"password": "not-my-password"})
    assert response.status_code == 400
    assert "This is not your password." in response.content.decode()
    ada.user.refresh_from_db()
    assert ada.user.is_active

    response = client.post(reverse("privacy:delete"), {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Your account is deleted" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Every other session ends too.
    assert other_session.get(reverse("privacy:data")).status_code == 302
    ada.user.refresh_from_db()
    assert not ada.user.is_active


def test_delete_needs_post_with_csrf_and_a_signed_in_founder(ada):
    anonymous = Client()
    response = anonymous.get(reverse("privacy:delete"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(ada.user)
    assert strict.post(reverse("privacy:delete"), {"password": PASSWORD}).status_code == 403
    ada.user.refresh_from_db()
    assert ada.user.is_active


def test_wrong_passwords_on_the_delete_form_are_throttled_like_sign_ins(ada, client):
    client.force_login(ada.user)
    statuses = [client.post(reverse("privacy:delete"), {"password": f"guess-{i}"}).status_code for i in range(6)]
    assert statuses[:4] == [400] * 4
    assert statuses[-1] == 429  # locked for 15 minutes, the same lock as the sign-in page
    response = client.post(reverse("privacy:delete"), {"password": PASSWORD})
    assert response.status_code == 429
    ada.user.refresh_from_db()
    assert ada.user.is_active


def test_organisers_still_read_the_anonymised_reviews(ada, client):
    from tests.factories.cohorts import organiser

    erase_account(ada.user.pk)
    client.force_login(organiser(is_superuser=True, first_name="Olivia", last_name="Org", email="o@example.org"))
    html = client.get(reverse("admin:reviews_review_changelist")).content.decode()
    assert html.count(ANONYMISED_NAME) >= 2 and "Analytical Engines" not in html
    html = client.get(reverse("admin:applications_application_change", args=[ada.submitted.pk])).content.decode()
    assert ANONYMISED_NAME in html and "Account deleted by its owner" in html
    assert "Lovelace" not in html and "ada@example.eu" not in html
