"""Saving a review: drafts, submission, changes until the review deadline, and their history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from calls.models import Call
from calls.phases import review_deadline_passed, reviews_closed, shortlist_locked
from core.locks import share_row
from reviews.models import (
    Assignment,
    AssignmentState,
    Recommendation,
    Review,
    ReviewChange,
    ReviewChangeKind,
    ReviewStatus,
    Score,
)
from reviews.services.summaries import refresh_reviewer_summaries, refresh_summaries


class ReviewLocked(Exception):
    """The review can no longer be changed (deadline passed, or assignment released)."""


def weighted_score(weighted_values) -> float | None:
    """sum(weight x score) / sum(weight) over (weight, score) pairs; None when there is nothing to weigh."""
    pairs = list(weighted_values)
    total = sum(weight for weight, _value in pairs)
    if not pairs or total == 0:
        return None
    return sum(weight * value for weight, value in pairs) / total


def is_locked(assignment: Assignment, now=None) -> bool:
    now = now or timezone.now()
    return assignment.state != AssignmentState.ACTIVE or reviews_closed(assignment.application.call, now=now)


def snapshot(review: Review, criteria_names: dict[int, str]) -> dict:
    """The review's values as recorded in its history; scores by criterion name, in rubric order."""
    values = {s.criterion_id: s.value for s in review.scores.all()}
    scores = {name: values[pk] for pk, name in criteria_names.items() if pk in values}
    return {
        "scores": scores,
        "weighted_score": None if review.weighted_score is None else round(review.weighted_score, 4),
        "recommendation": review.recommendation,
        "confidence": review.confidence,
        "comments": review.comments,
    }


def save_review(
    assignment: Assignment,
    *,
    by,
    scores: dict[int, int | None],
    recommendation: str = "",
    confidence: int | None = None,
    comments: str = "",
    submit: bool = False,
    now=None,
) -> Review:
    """Save the reviewer's scores as a draft, or submit them.

    scores maps criterion id to a value (None clears it). A submitted review stays submitted: saving
    it again is a change, checked like a submission and recorded in its history. Raises ReviewLocked
    after the call's review deadline or once the assignment is released, ValidationError for
    incomplete or out-of-scale input, PermissionDenied for anyone but the assigned reviewer.
    """
    now = now or timezone.now()
    call_id = Application.objects.filter(pk=assignment.application_id).values_list("call_id", flat=True).get()
    with transaction.atomic():
        # The call's row in SHARE mode: rubric changes, assignment runs and the shortlist lock hold
        # it FOR UPDATE, and an edit of the call (its review deadline) updates it, so none of them
        # happens while a review is scored against the call, yet reviewers of one call never wait
        # on each other. Taken first, as those writers take the call's row first.
        share_row(Call, call_id)
        # The assignment's own row serialises two tabs saving the same review.
        assignment = (
            Assignment.objects.select_for_update(of=("self",)).select_related("application__call").get(pk=assignment.pk)
        )
        if by is None or by.pk != assignment.reviewer_id:
            raise PermissionDenied
        if assignment.state != AssignmentState.ACTIVE:
            raise ReviewLocked(_("This assignment was released because of a conflict of interest."))
        call = assignment.application.call
        if review_deadline_passed(call, now=now):
            raise ReviewLocked(_("The review deadline has passed: reviews can no longer be changed."))
        if shortlist_locked(call):
            raise ReviewLocked(_("The shortlist of this call is locked: reviews can no longer be changed."))

        criteria = list(call.criteria.all())
        by_id = {c.pk: c for c in criteria}
        errors = {}
        unknown = set(scores) - set(by_id)
        if unknown:
            errors["scores"] = _("Unknown criteria: %(ids)s.") % {"ids": ", ".join(map(str, sorted(unknown)))}
        for criterion_id, value in scores.items():
            criterion = by_id.get(criterion_id)
            if criterion is not None and value is not None and not 1 <= value <= criterion.scale_max:
                errors[f"criterion_{criterion_id}"] = _("Give a score from 1 to %(max)s.") % {
                    "max": criterion.scale_max
                }
        if recommendation and recommendation not in Recommendation.values:
            errors["recommendation"] = _("Choose a recommendation from the list.")
        if confidence is not None and confidence not in (1, 2, 3):
            errors["confidence"] = _("Confidence is 1, 2 or 3.")

        review, _created = Review.objects.get_or_create(assignment=assignment, defaults={"call": call})
        was_submitted = review.status == ReviewStatus.SUBMITTED
        submit = submit or was_submitted
        if submit:
            for criterion in criteria:
                if scores.get(criterion.pk) is None:
                    errors.setdefault(f"criterion_{criterion.pk}", _("Score this criterion to submit."))
            if not recommendation:
                errors.setdefault("recommendation", _("Give a recommendation to submit."))
            if confidence is None:
                errors.setdefault("confidence", _("Say how confident you are to submit."))
        if errors:
            raise ValidationError(errors)

        names = {c.pk: c.name for c in criteria}
        before = snapshot(review, names) if was_submitted else {}

        current = {s.criterion_id: s for s in review.scores.all()}
        for criterion in criteria:
            value = scores.get(criterion.pk)
            existing = current.get(criterion.pk)
            if value is None:
                if existing is not None:
                    existing.delete()
            elif existing is None:
                Score.objects.create(review=review, criterion=criterion, value=value, scale_max=criterion.scale_max)
            elif existing.value != value or existing.scale_max != criterion.scale_max:
                existing.value, existing.scale_max = value, criterion.scale_max
                existing.save(update_fields=["value", "scale_max"])

        complete = all(scores.get(c.pk) is not None for c in criteria)
        review.weighted_score = weighted_score((c.weight, scores[c.pk]) for c in criteria) if complete else None
        review.recommendation = recommendation or ""
        review.confidence = confidence
        review.comments = comments or ""
        if submit and not was_submitted:
            review.status = ReviewStatus.SUBMITTED
            review.submitted_at = now
        review.save()

        if submit:
            after = snapshot(review, names)
            if not was_submitted:
                ReviewChange.objects.create(
                    review=review, kind=ReviewChangeKind.SUBMITTED, changed_by=by, changed_at=now, after=after
                )
            elif after != before:
                ReviewChange.objects.create(
                    review=review,
                    kind=ReviewChangeKind.CHANGED,
                    changed_by=by,
                    changed_at=now,
                    before=before,
                    after=after,
                )
        # Only this reviewer's figures change: the application's other reviewers are not recounted.
        refresh_summaries([assignment.application_id], reviewers=False)
        refresh_reviewer_summaries(call.pk, [assignment.reviewer_id])
    return review
