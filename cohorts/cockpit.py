"""The call's cockpit: where a call stands and what the organisers do next, step by step.

Cohorts sits at the top of the call's layers, so the cockpit lives here and reads each lower app
through its selectors; the phase and its rules are calls.phases' (never derived again here).
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from applications.models import SUBMITTED_STATUSES, Application, Status
from calls.selectors import (
    applications_closed,
    call_phase,
    decisions_published,
    offers_sent,
    reviews_closed,
    shortlist_locked,
)
from cohorts.offers.selectors import cohort_state
from cohorts.selectors import latest_run
from mail.models import OutboxMessage, OutboxStatus
from reviews.models import AssignmentState, Conflict
from reviews.selectors import pending_assignments, submitted_reviews


@dataclass
class Step:
    key: str
    title: str
    explanation: str
    done: bool
    available: bool = True
    next: bool = False


def numbers(call) -> dict:
    by_status = dict(Application.objects.filter(call=call).values_list("status").annotate(n=Count("id")).order_by())
    submitted = sum(by_status.get(s, 0) for s in SUBMITTED_STATUSES)
    short_of_reviewers = (
        Application.objects.filter(call=call, status__in=SUBMITTED_STATUSES)
        .annotate(active=Count("assignments", filter=Q(assignments__state=AssignmentState.ACTIVE)))
        .filter(active__lt=call.reviewers_per_application)
        .order_by()
        .count()
    )
    run = latest_run(call)
    outbox = OutboxMessage.objects.aggregate(
        pending=Count("id", filter=Q(status=OutboxStatus.PENDING)),
        failed=Count("id", filter=Q(status=OutboxStatus.FAILED)),
    )
    return {
        "drafts": by_status.get(Status.DRAFT, 0),
        "submitted": submitted,
        "short_of_reviewers": short_of_reviewers,
        "reviews_done": submitted_reviews(call).count(),
        "reviews_due": pending_assignments(call).count(),
        "conflicts": Conflict.objects.filter(application__call=call).count(),
        "run": run,
        "cohort": cohort_state(call),
        "mail_pending": outbox["pending"],
        "mail_failed": outbox["failed"],
    }


def shortlist_state(run) -> str:
    if run is None:
        return str(_("Not run yet"))
    if run.locked_at:
        return str(_("Locked"))
    if run.stale_since:
        return str(_("Stale: run it again"))
    return str(_("Computed, not locked"))


def steps(call, facts: dict) -> list[Step]:
    """The steps in their order; the first one not done is the next."""
    closed = applications_closed(call)
    run = facts["run"]
    cohort = facts["cohort"]
    result = [
        Step(
            "assign",
            str(_("Assign reviewers")),
            str(_("Gives each submitted application its reviewers, skipping conflicts and full reviewers.")),
            done=closed and facts["submitted"] > 0 and facts["short_of_reviewers"] == 0,
            available=facts["submitted"] > 0,
        ),
        Step(
            "follow",
            str(_("Follow the reviews")),
            str(_("See who is behind; reviewers get reminders by e-mail before the review deadline.")),
            done=reviews_closed(call)
            or (closed and facts["submitted"] > 0 and facts["short_of_reviewers"] == 0 and facts["reviews_due"] == 0),
        ),
        Step(
            "shortlist",
            str(_("Run the shortlist")),
            str(_("Ranks the applications from their submitted reviews; run it again after late reviews.")),
            done=run is not None and not run.stale_since,
            available=facts["reviews_done"] > 0,
        ),
        Step(
            "lock",
            str(_("Lock the shortlist")),
            str(_("Freezes the ranking that offers are made from; founders still see “Under review”.")),
            done=shortlist_locked(call),
            available=run is not None and closed,
        ),
        Step(
            "offers",
            str(_("Send the offers")),
            str(_("Offers the seats to the shortlist in rank order, then to the waitlist as seats free up.")),
            done=offers_sent(call) and cohort["free_seats"] == 0,
            available=shortlist_locked(call),
        ),
        Step(
            "decisions",
            str(_("Send the decision e-mails")),
            str(_("Tells every unsuccessful applicant, once the cohort is complete.")),
            done=decisions_published(call),
            available=cohort["complete"],
        ),
        Step(
            "exports",
            str(_("Download the cohort lists")),
            str(_("Spreadsheets of the cohort and the applications, for the programme team.")),
            done=False,
            available=shortlist_locked(call),
        ),
    ]
    # The call has moved past a step once a later one is done (a locked shortlist was reviewed).
    later_done = False
    for step in reversed(result):
        step.done = step.done or later_done
        later_done = step.done
    for step in result:
        if not step.done:
            step.next = True
            break
    return result


def cockpit(call) -> dict:
    facts = numbers(call)
    return {
        "phase": call_phase(call),
        "numbers": facts,
        "shortlist_state": shortlist_state(facts["run"]),
        "steps": steps(call, facts),
    }
