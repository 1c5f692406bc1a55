"""Every decision waits for its phase: the guards in the services, seen through the service, the
admin (POST) and the management commands, each with the message the organiser reads."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Status, StatusChange
from applications.services import change_status
from applications.services.errors import CallStillOpen as ApplicationCallStillOpen
from calls.models import Call
from cohorts.models import Offer, RunTrigger, ShortlistRun
from cohorts.offers import services as offers
from cohorts.shortlist.services import CallStillOpen, MissingReviews, ProvisionalRun, lock_run, run_shortlist
from tests.cohorts.conftest import review, submitted
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory
from tests.factories.reviews import AssignmentFactory

pytestmark = pytest.mark.django_db

DEADLINE_NOT_PASSED = "The application deadline has not passed"
PROVISIONAL = "This run is provisional"


def scored(call, reviewers, n=4):
    apps = []
    for i in range(n):
        app = submitted(call, f"Startup {i}", minutes=i)
        for reviewer in reviewers:
            review(app, reviewer, 5 - i * 0.5 - reviewer.pk % 2 * 0.1)
        apps.append(app)
    return apps


@pytest.fixture
def open_call(reviewers):
    """Open for applications, with reviews already in (reviews start as applications come)."""
    now = timezone.now()
    call = CallFactory(
        opens_at=now - dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=20),
        review_deadline=now + dt.timedelta(days=30),
        cohort_size=2,
    )
    scored(call, reviewers)
    # submitted() dates submissions a day before the deadline; they are in the past here.
    Application.objects.filter(call=call).update(submitted_at=now - dt.timedelta(days=1))
    return call


def close(call, *, review_deadline_passed=True):
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        closes_at=now - dt.timedelta(days=1),
        review_deadline=now - dt.timedelta(hours=1) if review_deadline_passed else now + dt.timedelta(days=5),
    )
    call.refresh_from_db()


def admin(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- Provisional runs -------------------------------------------------------------------------


def test_a_run_while_the_call_is_open_is_provisional_silent_and_never_lockable(open_call, organiser):
    run = run_shortlist(open_call, trigger=RunTrigger.ADMIN, by=organiser)
    assert run.provisional
    assert not [m for m in mail.outbox if "shortlist" in m.subject.lower()]
    with pytest.raises(ProvisionalRun, match=PROVISIONAL):
        lock_run(run, by=organiser, acknowledge_missing_reviews=True)
    # Not even once the deadline has passed: it was computed on an incomplete set of applications.
    close(open_call)
    with pytest.raises(ProvisionalRun, match=PROVISIONAL):
        lock_run(run, by=organiser, acknowledge_missing_reviews=True)
    assert Call.objects.get(pk=open_call.pk).shortlist_locked_at is None
    again = run_shortlist(open_call, trigger=RunTrigger.ADMIN, by=organiser)
    assert not again.provisional
    assert lock_run(again, by=organiser).locked_at is not None


def test_the_admin_marks_a_provisional_run_and_refuses_to_lock_it(client, open_call, organiser):
    admin(client, organiser)
    response = client.post(
        reverse("admin:calls_call_changelist"),
        {"action": "run_shortlist_action", "_selected_action": [open_call.pk]},
        follow=True,
    )
    run = ShortlistRun.objects.get(call=open_call)
    html = response.content.decode()
    assert "Provisional shortlist: the call is still open for applications." in html
    assert 'id="provisional-note"' in html
    assert reverse("admin:cohorts_shortlistrun_lock", args=[run.pk]) not in html
    page = client.get(reverse("admin:cohorts_shortlistrun_lock", args=[run.pk])).content.decode()
    assert PROVISIONAL in page and "Yes, lock the shortlist" not in page
    response = client.post(
        reverse("admin:cohorts_shortlistrun_lock", args=[run.pk]), {"lock_anyway": "yes"}, follow=True
    )
    assert PROVISIONAL in messages_of(response)
    assert ShortlistRun.objects.get(pk=run.pk).locked_at is None


def test_the_commands_say_provisional_and_refuse_to_lock(open_call, capsys):
    call_command("shortlist", open_call.slug)
    assert "Provisional: the call is still open for applications." in capsys.readouterr().out
    with pytest.raises(CommandError, match=PROVISIONAL):
        call_command("lock_shortlist", open_call.slug, "--lock-anyway")


# --- Lock needs the application deadline passed -----------------------------------------------


@pytest.fixture
def reopened(open_call, organiser):
    """A run made after the deadline, then the deadline moved back into the future."""
    close(open_call)
    run = run_shortlist(open_call, trigger=RunTrigger.ADMIN, by=organiser)
    Call.objects.filter(pk=open_call.pk).update(
        closes_at=timezone.now() + dt.timedelta(days=1), review_deadline=timezone.now() + dt.timedelta(days=3)
    )
    return run


def test_lock_needs_the_application_deadline_passed(reopened, organiser, client):
    with pytest.raises(CallStillOpen, match=DEADLINE_NOT_PASSED):
        lock_run(reopened, by=organiser, acknowledge_missing_reviews=True)
    admin(client, organiser)
    response = client.post(
        reverse("admin:cohorts_shortlistrun_lock", args=[reopened.pk]), {"lock_anyway": "yes"}, follow=True
    )
    assert DEADLINE_NOT_PASSED in messages_of(response)
    with pytest.raises(CommandError, match=DEADLINE_NOT_PASSED):
        call_command("lock_shortlist", reopened.call.slug, "--lock-anyway")
    assert ShortlistRun.objects.get(pk=reopened.pk).locked_at is None


# --- Missing reviews and the review deadline ----------------------------------------------------


@pytest.fixture
def missing(call, reviewers, organiser):
    """Closed, review deadline still ahead, and one reviewer's review of the top startup not in."""
    apps = scored(call, reviewers[:2])
    AssignmentFactory(application=apps[0], reviewer=reviewers[2])
    Call.objects.filter(pk=call.pk).update(review_deadline=timezone.now() + dt.timedelta(days=2))
    call.refresh_from_db()
    return run_shortlist(call, trigger=RunTrigger.ADMIN, by=organiser), apps


def test_lock_with_missing_reviews_needs_the_tick_and_records_it(missing, organiser):
    run, apps = missing
    with pytest.raises(MissingReviews) as refused:
        lock_run(run, by=organiser)
    assert str(refused.value) == (
        "The review deadline has not passed yet. 1 review is still missing for 1 shortlisted or waitlisted "
        "startup. Tick “Lock anyway” to lock the shortlist all the same."
    )
    locked = lock_run(run, by=organiser, acknowledge_missing_reviews=True)
    assert locked.lock_acknowledgement["missing_reviews"] == 1
    assert locked.lock_acknowledgement["review_deadline_passed"] is False
    assert locked.lock_acknowledgement["applications"] == [
        {"id": apps[0].pk, "startup": "Startup 0", "section": "shortlist", "missing": 1}
    ]
    note = StatusChange.objects.get(application=apps[0]).note
    assert "anyway: 1 review(s) missing, before the review deadline (acknowledged)" in note


def test_the_lock_page_lists_missing_reviews_and_requires_the_tick(missing, organiser, client):
    run, _apps = missing
    admin(client, organiser)
    url = reverse("admin:cohorts_shortlistrun_lock", args=[run.pk])
    page = client.get(url).content.decode()
    assert "has not passed yet: reviewers may still submit or change reviews" in page
    assert "1 review is still missing for these shortlisted or waitlisted startups" in page
    assert "Startup 0" in page and 'name="lock_anyway"' in page
    refused = client.post(url)
    assert refused.status_code == 200 and 'name="lock_anyway"' in refused.content.decode()
    assert "Tick “Lock anyway”" in messages_of(refused)
    assert ShortlistRun.objects.get(pk=run.pk).locked_at is None
    client.post(url, {"lock_anyway": "yes"})
    run.refresh_from_db()
    assert run.locked_at is not None and run.lock_acknowledgement["missing_reviews"] == 1
    snapshot = client.get(reverse("admin:cohorts_shortlistrun_change", args=[run.pk])).content.decode()
    assert "Locked anyway with 1 review missing (acknowledged)." in snapshot
    # A second POST changes nothing.
    again = client.post(url, {"lock_anyway": "yes"}, follow=True)
    assert "already locked" in messages_of(again)
    assert ShortlistRun.objects.filter(locked_at__isnull=False).count() == 1


def test_the_lock_command_needs_lock_anyway(missing, capsys):
    run, _apps = missing
    with pytest.raises(CommandError, match="1 review is still missing"):
        call_command("lock_shortlist", run.call.slug)
    call_command("lock_shortlist", run.call.slug, "--lock-anyway")
    assert "Locked anyway with 1 review(s) missing (recorded)." in capsys.readouterr().out
    assert ShortlistRun.objects.get(pk=run.pk).locked_at is not None


def test_no_tick_needed_after_the_review_deadline_with_every_review_in(call, reviewers, organiser, client):
    scored(call, reviewers)
    run = run_shortlist(call, trigger=RunTrigger.ADMIN, by=organiser)
    page = admin(client, organiser).get(reverse("admin:cohorts_shortlistrun_lock", args=[run.pk])).content.decode()
    assert 'name="lock_anyway"' not in page
    assert lock_run(run, by=organiser).lock_acknowledgement == {}


# --- Offers -----------------------------------------------------------------------------------


def test_offers_wait_for_the_application_deadline(reopened, organiser, client):
    Call.objects.filter(pk=reopened.call_id).update(shortlist_locked_at=timezone.now())
    ShortlistRun.objects.filter(pk=reopened.pk).update(locked_at=timezone.now())
    call = Call.objects.get(pk=reopened.call_id)
    message = "The application deadline has not passed: no offer can be sent while the call is open."
    with pytest.raises(offers.OfferError, match=message):
        offers.send_offers(call, by=organiser)
    admin(client, organiser)
    page = client.get(reverse("admin:cohorts_call_send_offers", args=[call.pk])).content.decode()
    assert message in page and "Yes, send the offers" not in page
    response = client.post(reverse("admin:cohorts_call_send_offers", args=[call.pk]), follow=True)
    assert message in messages_of(response)
    with pytest.raises(CommandError, match=message):
        call_command("send_offers", call.slug)
    assert not Offer.objects.exists()


def test_offers_need_a_locked_shortlist_everywhere(call, reviewers, organiser, client):
    scored(call, reviewers)
    run_shortlist(call, trigger=RunTrigger.ADMIN, by=organiser)
    with pytest.raises(offers.OfferError, match="Lock the shortlist before sending offers"):
        offers.send_offers(call, by=organiser)
    response = admin(client, organiser).post(reverse("admin:cohorts_call_send_offers", args=[call.pk]), follow=True)
    assert "Lock the shortlist before sending offers." in messages_of(response)
    with pytest.raises(CommandError, match="Lock the shortlist before sending offers"):
        call_command("send_offers", call.slug)


def test_offers_answer_by_comes_after_the_deadline_and_the_sending(call, reviewers, organiser, capsys):
    scored(call, reviewers)
    lock_run(run_shortlist(call, trigger=RunTrigger.ADMIN, by=organiser), by=organiser)
    call_command("send_offers", call.slug)
    assert "2 offer(s) sent." in capsys.readouterr().out
    for offer in Offer.objects.all():
        assert offer.respond_by > offer.offered_at > call.closes_at


# --- No selection status while the call is open -----------------------------------------------


@pytest.mark.parametrize("status", [Status.SHORTLISTED, Status.WAITLISTED, Status.REJECTED])
def test_no_application_is_selected_or_not_while_the_call_is_open(status):
    application = ApplicationFactory(submitted=True)
    with pytest.raises(ApplicationCallStillOpen, match="The call is still open for applications"):
        change_status(application, status)
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    assert not StatusChange.objects.filter(to_status=status).exists()


def test_no_submission_once_the_shortlist_is_locked_even_with_the_deadline_moved_later(missing, organiser):
    from applications.services.errors import DeadlinePassed
    from applications.services.submission import submit_application
    from tests.applications.helpers import complete

    run, _apps = missing
    lock_run(run, by=organiser, acknowledge_missing_reviews=True)
    Call.objects.filter(pk=run.call_id).update(closes_at=timezone.now() + dt.timedelta(days=1))
    draft = complete(ApplicationFactory(call=Call.objects.get(pk=run.call_id)))
    with pytest.raises(DeadlinePassed):
        submit_application(draft.pk, by=draft.owner)
    assert Application.objects.get(pk=draft.pk).status == Status.DRAFT


def test_reviewers_no_longer_have_to_do_reviews_once_the_shortlist_is_locked(missing, reviewers, organiser, client):
    from reviews.models import Assignment, WorkState
    from reviews.selectors import my_assignments

    run, apps = missing
    late = reviewers[2]
    assert my_assignments(late).get(application=apps[0]).work_state == WorkState.TODO
    lock_run(run, by=organiser, acknowledge_missing_reviews=True)
    assert my_assignments(late).get(application=apps[0]).work_state == WorkState.CLOSED
    from django.contrib.auth.models import Group

    from accounts.roles import REVIEWERS

    late.groups.add(Group.objects.get(name=REVIEWERS))
    client.force_login(late)
    page = client.get(reverse("admin:reviews_myreview_changelist")).content.decode()
    assert "Closed, not submitted" in page and "review-state-todo" not in page
    assert Assignment.objects.filter(reviewer=late).count() == 1
