"""Panel scoring: a panel member's score sheet for an interview of their panel, and the no-show.

The rules are the reviews' (reviews.services.scoring): only the panel of the interview's slot
scores it, a conflict of interest (found as for reviews, reviews.services.conflicts) keeps a
member out, a submitted sheet can still change until scoring closes, and the weighted score is
stored on the sheet. Scoring closes `interview_scoring_closes_after_hours` after the call's last
interview day (interviews.selectors.scoring_closed) or when the final ranking is locked.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_organiser
from applications.models import Application
from calls.phases import final_ranking_locked
from interviews.models import Booking, Invitation, Outcome, PanelScore, PanelScoreSheet, SheetStatus
from interviews.selectors import scoring_closed
from reviews.models import Conflict, ConflictSource
from reviews.services.conflicts import declare_conflict, detect_conflicts
from reviews.services.scoring import weighted_score


class SheetLocked(Exception):
    """The sheet can no longer change: scoring has closed, or the startup did not come."""


def panel_ids(invitation: Invitation) -> set[int]:
    """The members of the panel of the invitation's booked slot (none without a booking)."""
    return set(Booking.objects.filter(invitation=invitation).values_list("slot__panel", flat=True)) - {None}


def is_conflicted(user, application_id: int) -> bool:
    return Conflict.objects.filter(reviewer=user, application_id=application_id).exists()


def detect_panel_conflicts(application_ids, member_ids) -> int:
    """Record the conflicts between these panel members and these startups, found exactly as for
    reviewers (shared e-mail or web domain, or the member among the founders). Returns how many are new."""
    member_ids = set(member_ids)
    if not member_ids:
        return 0
    return detect_conflicts(Application.objects.filter(pk__in=list(application_ids)), reviewer_ids=member_ids).found


def scoring_locked(invitation: Invitation, now=None) -> bool:
    return invitation.excluded or scoring_closed(invitation.call, now=now or timezone.now())


def may_score(user, invitation: Invitation) -> bool:
    """On the panel of the interview's slot, and no conflict of interest with the startup."""
    return user is not None and user.pk in panel_ids(invitation) and not is_conflicted(user, invitation.application_id)


def save_sheet(
    invitation: Invitation,
    *,
    by,
    scores: dict[int, int | None],
    comments: str = "",
    submit: bool = False,
    now=None,
) -> PanelScoreSheet:
    """Save a panel member's scores as a draft, or submit them (every criterion scored).

    scores maps interview criterion id to a value (None clears it). A submitted sheet stays
    submitted; it can change until scoring closes. Raises PermissionDenied for anyone but a member
    of the slot's panel without a conflict, SheetLocked once scoring has closed or for a no-show,
    ValidationError for incomplete or out-of-scale input.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The row lock serialises two tabs saving the same sheet (and an outcome recorded meanwhile).
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related("call").get(pk=invitation.pk)
        if not may_score(by, invitation):
            raise PermissionDenied
        if invitation.excluded:
            raise SheetLocked(
                _("This startup's interview is recorded as %(outcome)s: it is not scored.")
                % {"outcome": invitation.get_outcome_display()}
            )
        if scoring_closed(invitation.call, now=now):
            raise SheetLocked(_("Interview scoring has closed: score sheets can no longer be changed."))

        criteria = list(invitation.call.interview_criteria.order_by("order", "id"))
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
        sheet, _created = PanelScoreSheet.objects.get_or_create(invitation=invitation, panel_member=by)
        submit = submit or sheet.status == SheetStatus.SUBMITTED
        if submit:
            for criterion in criteria:
                if scores.get(criterion.pk) is None:
                    errors.setdefault(f"criterion_{criterion.pk}", _("Score this criterion to submit."))
            if not criteria:
                errors["scores"] = _("The call has no interview rubric yet: there is nothing to score.")
        if errors:
            raise ValidationError(errors)

        current = {s.criterion_id: s for s in sheet.scores.all()}
        for criterion in criteria:
            value = scores.get(criterion.pk)
            existing = current.get(criterion.pk)
            if value is None:
                if existing is not None:
                    existing.delete()
            elif existing is None:
                PanelScore.objects.create(sheet=sheet, criterion=criterion, value=value, scale_max=criterion.scale_max)
            elif existing.value != value or existing.scale_max != criterion.scale_max:
                existing.value, existing.scale_max = value, criterion.scale_max
                existing.save(update_fields=["value", "scale_max"])

        complete = bool(criteria) and all(scores.get(c.pk) is not None for c in criteria)
        sheet.weighted_score = weighted_score((c.weight, scores[c.pk]) for c in criteria) if complete else None
        sheet.comments = comments or ""
        if submit and sheet.status != SheetStatus.SUBMITTED:
            sheet.status = SheetStatus.SUBMITTED
            sheet.submitted_at = now
        sheet.save()
    return sheet


def declare_panel_conflict(invitation: Invitation, *, by, reason: str) -> Conflict:
    """A panel member's "I have a conflict": recorded as a reviewer's declaration (one list of
    conflicts for reviews and interviews), it keeps them from scoring this startup."""
    if by is None or by.pk not in panel_ids(invitation):
        raise PermissionDenied
    return declare_conflict(
        reviewer=by, application=invitation.application, source=ConflictSource.REVIEWER, reason=reason, by=by
    )


# Outcomes a person records; "withdrawn" is the founders' own act (interviews.services).
RECORDABLE_OUTCOMES = (Outcome.PENDING, Outcome.ATTENDED, Outcome.NO_SHOW)


def may_record_outcome(user, invitation: Invitation) -> bool:
    """An organiser, or a member of the interview's panel without a conflict."""
    return is_organiser(user) or may_score(user, invitation)


def record_outcome(invitation: Invitation, *, outcome: str, by, reason: str = "", now=None) -> Invitation:
    """Record whether the startup came to its interview. A no-show needs a reason and keeps the
    startup out of the final ranking (with the reason); "pending" undoes a mistaken record.

    Refused once the final ranking is locked: what it ranked stays as it was.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if outcome not in RECORDABLE_OUTCOMES:
        raise ValidationError({"outcome": _("Choose an outcome from the list.")})
    if outcome == Outcome.NO_SHOW and not reason:
        raise ValidationError({"reason": _("Say briefly what happened: the reason is kept with the no-show.")})
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related("call").get(pk=invitation.pk)
        if not may_record_outcome(by, invitation):
            raise PermissionDenied
        if final_ranking_locked(invitation.call):
            raise SheetLocked(_("The final ranking is locked: the interview's outcome can no longer change."))
        if invitation.outcome == Outcome.WITHDRAWN:
            raise SheetLocked(_("The startup withdrew: there is no interview outcome to record."))
        invitation.outcome = outcome
        invitation.outcome_reason = reason[:300] if outcome == Outcome.NO_SHOW else ""
        invitation.outcome_recorded_by = by
        invitation.outcome_recorded_at = now
        invitation.save(update_fields=["outcome", "outcome_reason", "outcome_recorded_by", "outcome_recorded_at"])
    return invitation
