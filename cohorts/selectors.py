"""Reads on shortlists, for the admin, the offers and the exports."""

from django.db.models import Exists, OuterRef, QuerySet

from applications.models import SUBMITTED_STATUSES, Application
from calls.models import Call
from cohorts import snapshot
from cohorts.models import Section, ShortlistEntry, ShortlistRanking, ShortlistRun
from reviews.models import AssignmentState, Conflict, Review, ReviewStatus


def counted_reviews(call: Call) -> QuerySet[Review]:
    """The reviews a ranking counts: submitted, on an active assignment, not declared conflicted,
    of an application that is submitted (not withdrawn)."""
    conflicted = Conflict.objects.filter(
        reviewer=OuterRef("assignment__reviewer"), application=OuterRef("assignment__application")
    )
    return Review.objects.filter(
        status=ReviewStatus.SUBMITTED,
        weighted_score__isnull=False,
        assignment__state=AssignmentState.ACTIVE,
        assignment__application__call=call,
        assignment__application__status__in=SUBMITTED_STATUSES,
    ).exclude(Exists(conflicted))


def latest_run(call: Call) -> ShortlistRun | None:
    return ShortlistRun.objects.filter(call=call).order_by("-created_at", "-id").first()


def locked_run(call: Call) -> ShortlistRun | None:
    """The shortlist organisers locked for this call, if any (at most one)."""
    return ShortlistRun.objects.filter(call=call, locked_at__isnull=False).first()


def ranking(run: ShortlistRun) -> snapshot.Ranking:
    """Every application's place in the run (cohorts.snapshot), read once per run object: a
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
    run = locked_run(call)
    if run is None:
        return []
    return [
        entry.application
        for entry in ShortlistEntry.objects.filter(run=run, section=section)
        .select_related("application", "application__owner")
        .order_by("rank")
    ]
