"""The cockpit's "Remind reviewers with reviews due": a confirmation page, then one e-mail per
reviewer with unsubmitted reviews of the call, in their language, at most once a day."""

import datetime as dt

import pytest
from django.core import mail

from mail.models import OutboxMessage
from reminders import nudges
from reviews.models import ReviewStatus
from tests.factories.applications import ApplicationFactory
from tests.factories.cohorts import organiser
from tests.factories.reviews import AssignmentFactory, ReviewerFactory, ReviewFactory
from tests.reminders.conftest import REVIEWS_DUE

pytestmark = pytest.mark.django_db

# 10:00 in Paris on 20 March 2031, eleven days before the reviews are due.
MORNING = dt.datetime(2031, 3, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def reviewers(call):
    apps = [ApplicationFactory(call=call, submitted=True, startup_name=name) for name in ("Alpaca", "Bison", "Cobra")]
    marc = ReviewerFactory(first_name="Marc", last_name="Durand", language="fr")
    AssignmentFactory(reviewer=marc, application=apps[0])  # not started
    ReviewFactory(assignment=AssignmentFactory(reviewer=marc, application=apps[1]), status=ReviewStatus.DRAFT)
    ada = ReviewerFactory(first_name="Ada", last_name="King", language="en")
    AssignmentFactory(reviewer=ada, application=apps[2])
    ReviewFactory(assignment=AssignmentFactory(reviewer=ada, application=apps[0]))  # submitted
    done = ReviewerFactory(first_name="Done", last_name="Already")
    ReviewFactory(assignment=AssignmentFactory(reviewer=done, application=apps[1]))
    return marc, ada, done


def test_one_email_per_reviewer_with_reviews_due_in_their_language(call, reviewers, django_capture_on_commit_callbacks):
    marc, ada, _done = reviewers
    with django_capture_on_commit_callbacks(execute=True):
        plan = nudges.nudge_reviewers(call, now=MORNING)
    assert [(r.email, n) for r, n in plan.to_send] == [(ada.email, 1), (marc.email, 2)]
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {marc.email, ada.email}
    french = by_recipient[marc.email]
    assert french.subject == "2 évaluations à soumettre pour AI Startup Programme"
    assert "- Alpaca\n- Bison\n" in french.body
    assert "31 mars 2031 18:00 (heure de Paris)" in french.body
    english = by_recipient[ada.email]
    assert english.subject == "1 review to submit for AI Startup Programme"
    assert "Reviews are due by: March 31, 2031, 6 p.m. (Paris time)" in english.body and "Cobra" in english.body


def test_once_per_reviewer_per_day_in_the_calls_zone(call, reviewers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        nudges.nudge_reviewers(call, now=MORNING)
        # Later the same day in Paris (23:30 there, 22:30 UTC), nothing more.
        again = nudges.nudge_reviewers(call, now=MORNING.replace(hour=22, minute=30))
        assert again.to_send == [] and len(again.already) == 2
        # Just after midnight in Paris (23:05 UTC), a new day: they can be reminded again.
        next_day = nudges.nudge_reviewers(call, now=MORNING.replace(hour=23, minute=5))
    assert len(next_day.to_send) == 2
    assert OutboxMessage.objects.count() == 4
    assert len(mail.outbox) == 4


def test_nothing_once_the_review_deadline_has_passed(call, reviewers):
    assert nudges.nudge_reviewers(call, now=REVIEWS_DUE).to_send == []
    assert OutboxMessage.objects.count() == 0


def test_the_cockpit_leads_through_the_confirmation_page(client, call, reviewers, django_capture_on_commit_callbacks):
    done = reviewers[2]
    client.force_login(organiser())
    url = f"/admin/calls/call/{call.pk}/remind-reviewers/"
    cockpit = client.get(f"/admin/calls/call/{call.pk}/cockpit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{url}">Remind reviewers with reviews due…</a>' in cockpit

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "One e-mail will be sent now to each of these 2 reviewers" in page
    assert "Marc Durand" in page and "Ada King" in page and done.email not in page
    assert "March 31, 2031, 6 p.m." in page and "(Paris time)" in page
    assert f"/admin/calls/call/{call.pk}/cockpit/" in page  # ← Call cockpit
    assert OutboxMessage.objects.count() == 0  # the page itself sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/calls/call/{call.pk}/cockpit/"
    assert "A reminder was sent to each of the 2 reviewers with reviews due." in response.content.decode()
    assert len(mail.outbox) == 2

    again = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "there is nothing to send" in again and "Already reminded today" in again
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "No reminder was sent" in response.content.decode()
    assert len(mail.outbox) == 2


def test_only_organisers_may_remind(client, call, reviewers):
    client.force_login(reviewers[0])
    assert client.get(f"/admin/calls/call/{call.pk}/remind-reviewers/").status_code == 403
    assert client.post(f"/admin/calls/call/{call.pk}/remind-reviewers/").status_code == 403
    assert OutboxMessage.objects.count() == 0
