"""Numbers for the organiser dashboard of a call: aggregate queries only, whatever the size."""

import zoneinfo

from django.db.models import Count, F, Max, Q
from django.db.models.functions import Floor, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import SUBMITTED_STATUSES, Application, FoundationModel, Status
from calls.phases import interviews_enabled
from cohorts import charts
from cohorts.models import Offer, OfferStatus
from interviews.counts import stage_counts
from reviews.models import Assignment, AssignmentState, Review, ReviewStatus

TOP_COUNTRIES = 12
DEFAULT_SCALE_MAX = 5  # calls.Criterion's default, for a call without criteria yet


def funnel(call) -> list[tuple[str, int]]:
    by_status = dict(Application.objects.filter(call=call).values_list("status").annotate(n=Count("id")).order_by())
    offers = Offer.objects.filter(call=call).aggregate(
        offered=Count("id"), accepted=Count("id", filter=Q(status=OfferStatus.ACCEPTED))
    )
    reviewed = (
        Review.objects.filter(assignment__application__call=call, status=ReviewStatus.SUBMITTED)
        .values("assignment__application")
        .annotate(n=Count("id"))
        .filter(n__gte=call.min_reviews)
        .order_by()
        .count()
    )
    submitted = sum(by_status.get(s, 0) for s in SUBMITTED_STATUSES)
    return [
        (_("Drafts"), by_status.get(Status.DRAFT, 0)),
        (_("Submitted"), submitted),
        (_("Reviewed"), reviewed),
        (_("Shortlisted"), by_status.get(Status.SHORTLISTED, 0) + offers["offered"]),
        (_("Offered"), offers["offered"]),
        (_("Accepted"), offers["accepted"]),
    ]


def per_day(call) -> dict:
    zone = zoneinfo.ZoneInfo(call.time_zone)
    apps = Application.objects.filter(call=call).order_by()
    started = dict(apps.annotate(day=TruncDate("created_at", tzinfo=zone)).values_list("day").annotate(n=Count("id")))
    submitted = dict(
        apps.filter(submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at", tzinfo=zone))
        .values_list("day")
        .annotate(n=Count("id"))
    )
    deadline = timezone.localtime(call.closes_at, zone).date()
    first = timezone.localtime(call.opens_at, zone).date()
    days = set(started) | set(submitted)
    if days:
        first = min(first, min(days))
    last = max([deadline, *days])
    series = {day: (started.get(day, 0), submitted.get(day, 0)) for day in days}
    chart = charts.day_columns(series, first, last, deadline)
    rows = [c for c in chart["columns"] if c["started"] or c["submitted"]]
    return {"chart": chart, "rows": rows, "deadline": deadline}


def countries(call) -> list[tuple[str, int]]:
    from django_countries import countries as names

    rows = list(
        Application.objects.filter(call=call, status__in=SUBMITTED_STATUSES)
        .values_list("country")
        .annotate(n=Count("id"))
        .order_by("-n", "country")
    )
    items = [(names.name(code) or _("Not given"), n) for code, n in rows[:TOP_COUNTRIES]]
    rest = sum(n for _code, n in rows[TOP_COUNTRIES:])
    if rest:
        items.append((_("Other countries"), rest))
    return items


def models_used(call) -> list[tuple[str, int]]:
    # One pass over the call's submitted applications; a conditional count per known model.
    counts = Application.objects.filter(call=call, status__in=SUBMITTED_STATUSES).aggregate(
        **{value: Count("id", filter=Q(foundation_models__icontains=f'"{value}"')) for value in FoundationModel.values}
    )
    items = [(str(FoundationModel(value).label), counts[value]) for value in FoundationModel.values]
    return sorted(items, key=lambda item: -item[1])


def score_distribution(call) -> list[tuple[str, int]]:
    """Submitted reviews by weighted score, in half-point bins over the rubric's scale (1 to the
    largest scale of its criteria: a weighted score cannot leave it)."""
    high = call.criteria.aggregate(high=Max("scale_max"))["high"] or DEFAULT_SCALE_MAX
    rows = (
        Review.objects.filter(
            assignment__application__call=call, status=ReviewStatus.SUBMITTED, weighted_score__isnull=False
        )
        .annotate(bucket=Floor(2 * F("weighted_score")))
        .values_list("bucket")
        .annotate(n=Count("id"))
        .order_by("bucket")
    )
    rows = list(rows)
    return charts.score_bins(rows, low=1, high=high) if rows else []


def review_progress(call) -> dict:
    assignments = Assignment.objects.filter(application__call=call, state=AssignmentState.ACTIVE).order_by()
    totals = assignments.aggregate(
        assigned=Count("id"),
        submitted=Count("id", filter=Q(review__status=ReviewStatus.SUBMITTED)),
        draft=Count("id", filter=Q(review__status=ReviewStatus.DRAFT)),
    )
    per_reviewer = list(
        assignments.values("reviewer__email", "reviewer__first_name", "reviewer__last_name")
        .annotate(assigned=Count("id"), submitted=Count("id", filter=Q(review__status=ReviewStatus.SUBMITTED)))
        .order_by("-assigned", "reviewer__email")
    )
    for row in per_reviewer:
        name = f"{row['reviewer__first_name']} {row['reviewer__last_name']}".strip()
        row["name"] = name or row["reviewer__email"]
        row["percent"] = round(100 * row["submitted"] / row["assigned"]) if row["assigned"] else 0
    totals["not_started"] = totals["assigned"] - totals["submitted"] - totals["draft"]
    totals["percent"] = round(100 * totals["submitted"] / totals["assigned"]) if totals["assigned"] else 0
    return {"totals": totals, "per_reviewer": per_reviewer}


def interview_stage(call) -> dict | None:
    """The interview stage's figures (interviews.counts), or None for a call without the stage."""
    if not interviews_enabled(call):
        return None
    counts = stage_counts(call)
    items = [
        (_("Invited"), counts["invited"]),
        (_("Booked"), counts["booked"]),
        (_("Not booked"), counts["not_booked"]),
        (_("Scored by the panel"), counts["scored"]),
        (_("No-shows"), counts["no_shows"]),
    ]
    if counts["withdrawn"]:
        items.append((_("Withdrawn"), counts["withdrawn"]))
    return {"counts": counts, "items": items, "chart": charts.hbars(items)}


def build(call) -> dict:
    funnel_items = funnel(call)
    country_items = countries(call)
    model_items = models_used(call)
    score_items = score_distribution(call)
    progress = review_progress(call)
    # The chart keeps the 20 reviewers with most assignments; the table beside it lists everyone.
    reviewer_items = [(row["name"], row["submitted"]) for row in progress["per_reviewer"][:20]]
    return {
        "funnel": {"items": funnel_items, "chart": charts.hbars(funnel_items)},
        "days": per_day(call),
        "countries": {"items": country_items, "chart": charts.hbars(country_items)},
        "models": {"items": model_items, "chart": charts.hbars(model_items)},
        "scores": {"items": score_items, "chart": charts.hbars(score_items)},
        "reviews": {**progress, "chart": charts.hbars(reviewer_items)},
        "interviews": interview_stage(call),
        "generated_at": timezone.now(),
    }
