import datetime as dt

import pytest
from django.core import mail

from reminders import mails as reminder_mails
from reminders import services
from reminders.models import Reminder, ReminderKind
from reviews.models import AssignmentState, ReviewStatus
from tests.factories.applications import ApplicationFactory
from tests.factories.reviews import AssignmentFactory, ReviewerFactory, ReviewFactory
from tests.reminders.conftest import REVIEWS_DUE, hours_before

pytestmark = pytest.mark.django_db


def sweep(at, callbacks):
    with callbacks(execute=True):
        return services.send_reviewer_reminders(at)


@pytest.fixture
def reviewer(call):
    reviewer = ReviewerFactory(first_name="Marc", language="en")
    apps = [ApplicationFactory(call=call, submitted=True, startup_name=name) for name in ("Alpaca", "Bison", "Cobra")]
    AssignmentFactory(reviewer=reviewer, application=apps[0])  # not started
    ReviewFactory(assignment=AssignmentFactory(reviewer=reviewer, application=apps[1]), status=ReviewStatus.DRAFT)
    ReviewFactory(assignment=AssignmentFactory(reviewer=reviewer, application=apps[2]))  # submitted
    released = ApplicationFactory(call=call, submitted=True, startup_name="Dingo")
    AssignmentFactory(reviewer=reviewer, application=released, state=AssignmentState.CONFLICTED)
    return reviewer


def test_one_email_listing_unsubmitted_assignments(call, reviewer, django_capture_on_commit_callbacks):
    done = ReviewerFactory()
    ReviewFactory(
        assignment=AssignmentFactory(reviewer=done, application=ApplicationFactory(call=call, submitted=True))
    )
    sent = sweep(hours_before(REVIEWS_DUE, 72), django_capture_on_commit_callbacks)
    assert [(r.email, r.kind, r.offset_hours) for r in sent] == [(reviewer.email, ReminderKind.REVIEWER_DEADLINE, 72)]
    [message] = mail.outbox
    assert message.to == [reviewer.email]
    assert message.subject == "2 reviews to submit for AI Startup Programme"
    assert "- Alpaca\n- Bison\n" in message.body
    assert "Cobra" not in message.body and "Dingo" not in message.body
    assert "http://127.0.0.1:8000/admin/" in message.body
    assert "(Paris time)" in message.body


def test_reviewer_windows_and_deadline(call, reviewer, django_capture_on_commit_callbacks):
    assert sweep(hours_before(REVIEWS_DUE, 72) - dt.timedelta(seconds=1), django_capture_on_commit_callbacks) == []
    assert len(sweep(hours_before(REVIEWS_DUE, 72), django_capture_on_commit_callbacks)) == 1
    assert sweep(hours_before(REVIEWS_DUE, 25), django_capture_on_commit_callbacks) == []
    assert len(sweep(hours_before(REVIEWS_DUE, 24), django_capture_on_commit_callbacks)) == 1
    assert sweep(REVIEWS_DUE, django_capture_on_commit_callbacks) == []
    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(recipient=reviewer).count() == 2


def test_reviewer_email_in_french(call, reviewer, django_capture_on_commit_callbacks):
    reviewer.language = "fr"
    reviewer.save()
    sweep(hours_before(REVIEWS_DUE, 24), django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == "2 évaluations à soumettre pour AI Startup Programme"
    assert "Vous avez 2 candidatures de AI Startup Programme à évaluer" in message.body
    assert "31 mars 2031 18:00 (heure de Paris)" in message.body


def test_long_lists_are_cut(call, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(reminder_mails, "LISTED_ASSIGNMENTS", 2)
    reviewer = ReviewerFactory()
    for _ in range(5):
        AssignmentFactory(reviewer=reviewer, application=ApplicationFactory(call=call, submitted=True))
    sweep(hours_before(REVIEWS_DUE, 24), django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject.startswith("5 reviews")
    assert message.body.count("\n- ") == 2
    assert "… and 3 more." in message.body
