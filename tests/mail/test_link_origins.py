"""Every e-mail links to where the portal is served (SITE_URL), never to another host or port."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from applications.services.submission import submit_application, withdraw_application
from applications.services.team import invite
from cohorts.models import Offer
from cohorts.offers import services as offers
from mail import templating
from mail.models import OutboxMessage
from privacy.services import erase_account
from reminders import services as reminders
from reminders.sweep import run_sweep
from tests.applications.helpers import complete
from tests.cohorts.conftest import review, submitted
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory
from tests.factories.cohorts import locked_shortlist, organiser
from tests.factories.reviews import AssignmentFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8311"
LINK = re.compile(r"https?://[^\s<>\"')]+")
ACCOUNT_KINDS = {
    "account_email_confirmation_signup",
    "account_account_already_exists",
    "account_password_reset_key",
    "account_unknown_account",
}


@pytest.fixture(autouse=True)
def _portal_on_another_port(settings):
    settings.SITE_URL = SITE
    settings.ACCOUNT_RATE_LIMITS = False


def assert_links_on_portal(messages):
    for message in messages:
        links = LINK.findall(message.subject + "\n" + message.body)
        for link in links:
            assert link.startswith(SITE + "/"), (message.kind, link)


def founders_mails(callbacks):
    """Submission, invitation, withdrawal and erasure e-mails, as founders' actions send them."""
    owner = UserFactory(language="fr")
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    application = complete(ApplicationFactory(owner=owner))
    with callbacks(execute=True):
        invite(application.pk, by=owner, email="cofounder@example.eu")
        submit_application(application.pk, by=owner)
        withdraw_application(application.pk, by=owner)
    co_founder = UserFactory()
    shared = complete(ApplicationFactory(owner=co_founder))
    shared.memberships.create(user=owner, call=shared.call)
    submit_application(shared.pk, by=co_founder)
    with callbacks(execute=True):
        erase_account(co_founder.pk)  # the remaining founder is told


def selection_mails(callbacks):
    """Offers and their answers, expiry, withdrawal, decisions; the shortlist ready for organisers."""
    call, apps = locked_shortlist(shortlisted=3, waitlisted=3, ranked=1, language="fr")
    boss = organiser()
    with callbacks(execute=True):
        sent = offers.send_offers(call, by=boss)
        offers.respond(sent[0], accept=True, by=apps[0].owner)
        offers.withdraw(sent[1], by=boss, reason="Not incorporated in the EU.")
        Offer.objects.filter(pk=sent[2].pk).update(respond_by=timezone.now() - dt.timedelta(minutes=1))
        offers.expire_overdue()
    for offer in Offer.objects.filter(call=call, status="pending"):
        offers.respond(offer, accept=True, by=offer.application.owner)
    with callbacks(execute=True):
        offers.start_decisions(call)
    now = timezone.now()
    ranked = CallFactory(opens_at=now - dt.timedelta(days=40), closes_at=now - dt.timedelta(days=20))
    ranked.review_deadline = now - dt.timedelta(hours=1)
    ranked.save()
    organiser(is_superuser=True)
    reviewers = [ReviewerFactory() for _ in range(2)]
    for i in range(3):
        application = submitted(ranked, f"Startup {i}", minutes=i)
        for reviewer in reviewers:
            review(application, reviewer, 4 - i / 2)
    with callbacks(execute=True):
        run_sweep(ranked.review_deadline)


def reminder_mails(callbacks):
    call = CallFactory()
    ApplicationFactory(call=call)
    AssignmentFactory(application=ApplicationFactory(call=call, submitted=True), reviewer=ReviewerFactory())
    with callbacks(execute=True):
        reminders.send_founder_reminders(call.closes_at - dt.timedelta(hours=3))
        reminders.send_reviewer_reminders(call.review_deadline - dt.timedelta(hours=24))


def interview_reminder_mails(callbacks):
    """The interview reminders: to book, before the interview, the panel's day."""
    from reminders.interviews import send_interview_reminders
    from tests.factories.interviews import BookingFactory, InterviewCallFactory, InvitationFactory, SlotFactory

    start = dt.datetime(2031, 4, 8, 8, 0, tzinfo=dt.UTC)
    call = InterviewCallFactory(shortlist_locked_at=timezone.now(), interview_booking_closes_at=start)
    InvitationFactory(call=call, application__call=call)
    invitation = InvitationFactory(call=call, application__call=call)
    BookingFactory(invitation=invitation, slot=SlotFactory(call=call, starts_at=start, panel=[ReviewerFactory()]))
    with callbacks(execute=True):
        send_interview_reminders(start - dt.timedelta(hours=2))


def interview_mails(callbacks):
    """The invitation to interview, then a booking and a move (to the founders and the panels)."""
    from interviews import services as interviews
    from interviews.booking import services as booking
    from tests.interviews.booking_helpers import interviewing_call, slot_in

    call = interviewing_call()
    application = ApplicationFactory(call=call, submitted=True)
    with callbacks(execute=True):
        (invitation,) = interviews.invite(call, [application])
        first, second = slot_in(call, hours=72), slot_in(call, hours=96)
        booking.book(invitation.pk, first.pk, by=application.owner)
        booking.book(invitation.pk, second.pk, by=application.owner)


def account_mails(client):
    password = "a-long-pass-phrase-9"
    form = {"first_name": "Ada", "last_name": "Lovelace", "email": "new.founder@example.eu", "language": "fr"}
    form |= {"password1": password, "password2": password}
    client.post(reverse("account_signup"), form)
    client.post(reverse("account_signup"), form)  # the address has an account already
    client.post(reverse("account_reset_password"), {"email": "new.founder@example.eu"})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.eu"})


def test_every_kind_of_mail_links_to_the_portal(client, django_capture_on_commit_callbacks):
    founders_mails(django_capture_on_commit_callbacks)
    selection_mails(django_capture_on_commit_callbacks)
    reminder_mails(django_capture_on_commit_callbacks)
    interview_reminder_mails(django_capture_on_commit_callbacks)
    interview_mails(django_capture_on_commit_callbacks)
    account_mails(client)
    messages = list(OutboxMessage.objects.all())
    kinds = {message.kind for message in messages}
    assert set(templating.discover_kinds()) | ACCOUNT_KINDS <= kinds
    assert sum(len(LINK.findall(message.body)) for message in messages) >= len(kinds)
    assert_links_on_portal(messages)


@pytest.mark.parametrize("kind", templating.discover_kinds())
def test_the_editors_preview_links_to_the_portal(client, kind):
    application = ApplicationFactory(submitted=True)
    client.force_login(organiser(is_superuser=True))
    page = client.get(reverse("admin:mail_mailtemplate_edit", args=[application.call.pk, kind, "en"])).content
    links = LINK.findall(page.decode().split("Preview of what is sent now", 1)[1])
    assert all(link.startswith(SITE + "/") for link in links if "127.0.0.1" in link or "localhost" in link), links
