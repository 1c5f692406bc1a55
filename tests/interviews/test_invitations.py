"""Locking the review shortlist of a call with the interview stage invites its top startups."""

import pytest

from applications.models import Membership, Status
from applications.selectors import founder_status
from cohorts.models import Section
from interviews import services
from interviews.models import Invitation
from mail.models import OutboxMessage
from tests.cohorts.interview_helpers import interview_call, invitations, lock_reviews
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_the_review_lock_invites_the_top_interview_size(call, reviewers, organiser):
    interview_call(call, reviewers)
    run = lock_reviews(call, organiser)
    invited = invitations(call)
    assert list(invited) == ["A", "B", "C", "D"]
    assert [invited[n].review_rank for n in "ABCD"] == [1, 2, 3, 4]
    assert run.entries.filter(section=Section.SHORTLIST).count() == 4
    assert all(i.application.status == Status.SHORTLISTED for i in invited.values())


def test_each_founder_gets_the_invitation_once_in_their_language(
    call, reviewers, organiser, django_capture_on_commit_callbacks
):
    interview_call(call, reviewers)
    a = call.applications.get(startup_name="A")
    a.owner.language = "fr"
    a.owner.save()
    cofounder = UserFactory(language="en")
    Membership.objects.create(application=a, user=cofounder, call=call)
    with django_capture_on_commit_callbacks(execute=True):
        lock_reviews(call, organiser)
    sent = OutboxMessage.objects.filter(kind="interview_invitation")
    assert sent.count() == 5  # four owners and A's co-founder
    french = sent.get(to=a.owner.email)
    assert french.subject == f"A est invitée en entretien pour {call.title}"
    assert f"/applications/{a.pk}/" in french.body
    english = sent.get(to=cofounder.email)
    assert english.subject == f"A is invited to interview for {call.title}"
    # Inviting again (a retried lock, a repaired call) sends nothing more.
    services.invite(call, [i.application for i in Invitation.objects.filter(call=call).order_by("review_rank")])
    assert OutboxMessage.objects.filter(kind="interview_invitation").count() == 5


def test_founders_see_they_are_invited_the_others_keep_under_review(call, reviewers, organiser):
    interview_call(call, reviewers)
    lock_reviews(call, organiser)
    a = call.applications.get(startup_name="A")
    e = call.applications.get(startup_name="E")
    assert founder_status(a).label == "Invited to interview"
    assert founder_status(e).label == "Under review"
