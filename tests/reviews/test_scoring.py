import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from reviews import services
from reviews.models import AssignmentState, Review, ReviewChange, ReviewChangeKind, ReviewStatus, Score
from tests.factories.reviews import AssignmentFactory
from tests.reviews.conftest import submit_review, submitted_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(call, reviewer_a):
    return AssignmentFactory(reviewer=reviewer_a, application=submitted_app(call))


def criteria(call):
    return list(call.criteria.order_by("order"))


def test_weighted_score_formula():
    assert services.weighted_score([(3, 5), (2, 3), (1, 1)]) == pytest.approx(22 / 6)
    assert services.weighted_score([]) is None


def test_draft_keeps_partial_scores_without_a_weighted_score(assignment, call):
    first = criteria(call)[0]
    review = services.save_review(assignment, by=assignment.reviewer, scores={first.pk: 4}, comments="so far")
    assert review.status == ReviewStatus.DRAFT
    assert review.weighted_score is None and review.submitted_at is None
    assert list(review.scores.values_list("criterion_id", "value")) == [(first.pk, 4)]
    assert not ReviewChange.objects.exists()


def test_submit_stores_the_weighted_score(assignment, call):
    open_models, team, compute = criteria(call)
    review = services.save_review(
        assignment,
        by=assignment.reviewer,
        scores={open_models.pk: 5, team.pk: 3, compute.pk: 1},
        recommendation="strong_yes",
        confidence=3,
        submit=True,
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED and review.submitted_at is not None
    assert review.weighted_score == pytest.approx((3 * 5 + 2 * 3 + 1 * 1) / 6)
    change = ReviewChange.objects.get()
    assert change.kind == ReviewChangeKind.SUBMITTED and change.changed_by == assignment.reviewer
    assert change.after["scores"] == {"Open models": 5, "Team": 3, "Compute plan": 1}


def test_submit_requires_every_score_recommendation_and_confidence(assignment, call):
    first = criteria(call)[0]
    with pytest.raises(ValidationError) as error:
        services.save_review(assignment, by=assignment.reviewer, scores={first.pk: 4}, submit=True)
    missing = set(error.value.message_dict)
    assert missing == {f"criterion_{c.pk}" for c in criteria(call)[1:]} | {"recommendation", "confidence"}
    assert not Review.objects.exists()  # nothing half-saved


@pytest.mark.parametrize("value", [0, 5, 9])
def test_scores_outside_the_scale_are_refused(assignment, call, value):
    compute = criteria(call)[2]  # scale 1..4
    with pytest.raises(ValidationError) as error:
        services.save_review(assignment, by=assignment.reviewer, scores={compute.pk: value})
    assert f"criterion_{compute.pk}" in error.value.message_dict


@pytest.mark.parametrize("value", [0, 6])
def test_database_enforces_score_bounds(assignment, call, value):
    review = Review.objects.create(assignment=assignment)
    criterion = criteria(call)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(review=review, criterion=criterion, value=value, scale_max=5)


def test_database_enforces_confidence_and_complete_submission(assignment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(assignment=assignment, confidence=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(assignment=assignment, status=ReviewStatus.SUBMITTED)


def test_submitted_review_changes_until_the_deadline_then_locks(assignment, call):
    review = submit_review(assignment, value=3)
    team = criteria(call)[1]
    scores = {c.pk: 3 for c in criteria(call)} | {team.pk: 5}

    services.save_review(
        assignment, by=assignment.reviewer, scores=scores, recommendation="yes", confidence=2, submit=False
    )

    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED  # a change never turns it back into a draft
    assert review.scores.get(criterion=team).value == 5
    with pytest.raises(services.ReviewLocked):
        services.save_review(
            assignment,
            by=assignment.reviewer,
            scores=scores,
            recommendation="no",
            confidence=2,
            now=call.review_deadline + dt.timedelta(seconds=1),
        )
    with pytest.raises(services.ReviewLocked):
        services.save_review(assignment, by=assignment.reviewer, scores=scores, now=call.review_deadline)
    review.refresh_from_db()
    assert review.recommendation == "yes"


def test_released_assignment_and_other_people_cannot_save(assignment, reviewer_b):
    with pytest.raises(PermissionDenied):
        services.save_review(assignment, by=reviewer_b, scores={})
    assignment.state = AssignmentState.CONFLICTED
    assignment.save()
    with pytest.raises(services.ReviewLocked):
        services.save_review(assignment, by=assignment.reviewer, scores={})


def test_history_records_who_when_old_and_new(assignment, call):
    submit_review(assignment, value=3, recommendation="maybe")
    team = criteria(call)[1]
    scores = {c.pk: 3 for c in criteria(call)} | {team.pk: 4}

    services.save_review(
        assignment, by=assignment.reviewer, scores=scores, recommendation="yes", confidence=2, submit=True
    )
    services.save_review(  # the same values again: nothing to record
        assignment, by=assignment.reviewer, scores=scores, recommendation="yes", confidence=2, submit=True
    )

    submitted, changed = ReviewChange.objects.order_by("changed_at", "id")
    assert submitted.kind == ReviewChangeKind.SUBMITTED
    assert changed.kind == ReviewChangeKind.CHANGED and changed.changed_by == assignment.reviewer
    assert changed.before["scores"]["Team"] == 3 and changed.after["scores"]["Team"] == 4
    assert (changed.before["recommendation"], changed.after["recommendation"]) == ("maybe", "yes")
    assert changed.before["weighted_score"] == 3.0
    assert changed.after["weighted_score"] == pytest.approx((3 * 3 + 2 * 4 + 1 * 3) / 6, abs=1e-4)
