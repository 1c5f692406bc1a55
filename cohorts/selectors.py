"""Reads on shortlists, for the admin, the offers and the exports."""

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from applications.models import SUBMITTED_STATUSES, Application
from calls.models import Call
from calls.phases import final_ranking_locked, interviews_enabled
from cohorts.models import Section, ShortlistEntry, ShortlistRanking, ShortlistRun, Stage
from cohorts.shortlist import snapshot
from reviews.models import Assignment, AssignmentState, Review, ReviewStatus


def counted_reviews(call: Call) -> QuerySet[Review]:
    """The reviews a ranking counts: submitted, on an active assignment, not declared conflicted,
    of an application that is submitted (not withdrawn)."""
    return counted_reviews_of_any_application().filter(
        assignment__application__call=call,
        assignment__application__status__in=SUBMITTED_STATUSES,
    )


def counted_reviews_of_any_application() -> QuerySet[Review]:
    """counted_reviews without the condition on the application, for a caller that already holds
    the ids of a call's submitted applications and keeps the reviews of those (cohorts.shortlist.scores)."""
    # The few assignments under a declared conflict, found from the conflicts' side and excluded
    # by a hashed lookup: a correlated NOT EXISTS is planned as a nested loop that probes the
    # (often empty) conflicts table once per review.
    conflicted = Assignment.objects.filter(application__conflicts__reviewer=F("reviewer")).values("pk")
    return Review.objects.filter(
        status=ReviewStatus.SUBMITTED,
        weighted_score__isnull=False,
        assignment__state=AssignmentState.ACTIVE,
    ).exclude(assignment__in=conflicted)


def latest_run(call: Call, stage: str = Stage.REVIEW) -> ShortlistRun | None:
    return ShortlistRun.objects.filter(call=call, stage=stage).order_by("-created_at", "-id").first()


def locked_run(call: Call, stage: str = Stage.REVIEW) -> ShortlistRun | None:
    """The shortlist organisers locked for this call at this stage, if any (at most one)."""
    return ShortlistRun.objects.filter(call=call, stage=stage, locked_at__isnull=False).first()


def offers_stage(call: Call) -> str:
    """The stage whose locked run the cohort comes from: the final ranking with the interview
    stage, the review shortlist without it."""
    return Stage.FINAL if interviews_enabled(call) else Stage.REVIEW


def offers_run(call: Call) -> ShortlistRun | None:
    """The locked run offers are made from (None until it is locked)."""
    return locked_run(call, offers_stage(call))


def shown_stage(call: Call) -> str:
    """The stage whose locked run exports and pages show: the final ranking once it is locked."""
    return Stage.FINAL if final_ranking_locked(call) else Stage.REVIEW


def ranking(run: ShortlistRun) -> snapshot.Ranking:
    """Every application's place in the run (cohorts.shortlist.snapshot), read once per run object: a
    snapshot page reads it for its counts and for each long section."""
    if getattr(run, "_ranking", None) is None:
        run._ranking = snapshot.unpack(ShortlistRanking.objects.values_list("data", flat=True).get(run=run))
    return run._ranking


def entries(run: ShortlistRun, section: str):
    """The section's entries in the order the shortlist shows them, each with its application.

    The shortlist, waitlist and exclusions are rows; the long sections (ranked below, not enough
    reviews) are read from the packed ranking, one page of applications at a time.
    """
    if section in snapshot.PAGED:
        return snapshot.SectionEntries(run, ranking(run), section, Application.objects.all())
    return (
        ShortlistEntry.objects.filter(run=run, section=section)
        .select_related("application")
        .order_by("rank", "-review_count", "application__submitted_at", "application_id")
    )


def section_counts(run: ShortlistRun) -> dict[str, int]:
    return ranking(run).section_counts()


def shortlist_in_order(call: Call) -> list[Application]:
    """The locked shortlist's applications, best first; empty until a run is locked."""
    return _locked_section(call, Section.SHORTLIST)


def waitlist_in_order(call: Call) -> list[Application]:
    """The locked waitlist's applications in rank order: who gets an offer when one is declined."""
    return _locked_section(call, Section.WAITLIST)


def _locked_section(call: Call, section: str) -> list[Application]:
    run = offers_run(call)
    if run is None:
        return []
    return section_in_order(run, section)


def section_in_order(run: ShortlistRun, section: str) -> list[Application]:
    return [
        entry.application
        for entry in ShortlistEntry.objects.filter(run=run, section=section)
        .select_related("application", "application__owner")
        .order_by("rank")
    ]


def missing_reviews(run: ShortlistRun) -> list[dict]:
    """Reviews still to come for the run's shortlisted and waitlisted applications: each one's
    active assignments without a submitted review, in shortlist then waitlist rank order.
    [{"application", "section", "rank", "missing"}], only applications with some missing."""
    pending = (
        Assignment.objects.filter(state=AssignmentState.ACTIVE)
        .exclude(review__status=ReviewStatus.SUBMITTED)
        .filter(application_id=OuterRef("application_id"))
        .order_by()
        .values("application_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    entries = (
        ShortlistEntry.objects.filter(run=run, section__in=[Section.SHORTLIST, Section.WAITLIST])
        .annotate(missing=Coalesce(Subquery(pending), 0))
        .filter(missing__gt=0)
        .select_related("application")
        .order_by("section", "rank")
    )
    order = {Section.SHORTLIST: 0, Section.WAITLIST: 1}
    rows = [{"application": e.application, "section": e.section, "rank": e.rank, "missing": e.missing} for e in entries]
    return sorted(rows, key=lambda row: (order[row["section"]], row["rank"] or 0))
