"""The call's cockpit: where a call stands and what the organisers do next, step by step.

Cohorts sits at the top of the call's layers, so the cockpit lives here and reads each lower app
through its selectors; the phase and its rules are calls.phases' (never derived again here).
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from applications.models import SUBMITTED_STATUSES, Application, Status
from calls.phases import final_ranking_locked, interview_booking_open, interviews_enabled, ready_for_offers
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
from interviews.counts import stage_counts
from interviews.selectors import scoring_closed
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
        "interviews": stage_counts(call) if interviews_enabled(call) else None,
    }


def shortlist_state(run) -> str:
    if run is None:
        return str(_("Not run yet"))
    if run.locked_at:
        return str(_("Locked"))
    if run.stale_since:
        return str(_("Stale: run it again"))
    return str(_("Computed, not locked"))


def interview_steps(call, facts: dict) -> list[Step]:
    """The interview stage's steps, between the review shortlist's lock and the offers."""
    counts = facts["interviews"]
    booking_over = call.interview_booking_closes_at is not None and not interview_booking_open(call)
    expected = counts["invited"] - counts["withdrawn"] - counts["no_shows"]
    return [
        Step(
            "invitations",
            str(_("Invitations out")),
            str(_("Locking the shortlist invites its top startups to interview, by e-mail in their language.")),
            done=counts["invited"] > 0,
            available=shortlist_locked(call),
        ),
        Step(
            "bookings",
            str(_("Bookings")),
            str(_("Invited founders pick a slot on their application page; reminders go to those who have not.")),
            done=counts["invited"] > 0 and (counts["not_booked"] == 0 or booking_over),
            available=counts["invited"] > 0,
        ),
        Step(
            "panel",
            str(_("Panel scoring")),
            str(_("Each panel member scores the interviews of their slots; record the no-shows with a reason.")),
            done=scoring_closed(call) or (expected > 0 and counts["scored"] >= expected),
            available=counts["booked"] > 0,
        ),
        Step(
            "final",
            str(_("Run and lock the final ranking")),
            str(_("Combines review and interview scores; the cohort and its waitlist come from it.")),
            done=final_ranking_locked(call),
            available=counts["scored"] > 0,
        ),
    ]


def steps(call, facts: dict) -> list[Step]:
    """The steps in their order; the first one not done is the next. With the interview stage,
    its steps come between the review shortlist's lock and the offers."""
    closed = applications_closed(call)
    run = facts["run"]
    cohort = facts["cohort"]
    with_interviews = facts.get("interviews") is not None
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
        *(
            [
                Step(
                    "slots",
                    str(_("Create the interview slots")),
                    str(_("Start, length, room at STATION F or online link, and panel: one by one or as a series.")),
                    done=facts["interviews"]["slots"] >= call.interview_size,
                )
            ]
            if with_interviews
            else []
        ),
        Step(
            "lock",
            str(_("Lock the shortlist")),
            str(_("Freezes the review ranking; its top startups are invited to interview."))
            if with_interviews
            else str(_("Freezes the ranking that offers are made from; founders still see “Under review”.")),
            done=shortlist_locked(call),
            available=run is not None and closed,
        ),
        *(interview_steps(call, facts) if with_interviews else []),
        Step(
            "offers",
            str(_("Send the offers")),
            str(_("Offers the seats to the shortlist in rank order, then to the waitlist as seats free up.")),
            done=offers_sent(call) and cohort["free_seats"] == 0,
            available=ready_for_offers(call),
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
            available=ready_for_offers(call),
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
