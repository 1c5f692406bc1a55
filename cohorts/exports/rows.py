"""What a cohort list contains, for each scope, read in chunks with a constant number of queries.

One record per application. `flat_row` turns it into spreadsheet cells (CSV, XLSX), `json_row`
into a JSON object with lists and booleans kept as such.
"""

import zoneinfo
from collections.abc import Iterator

from django.db.models import Avg, Count, F, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import SUBMITTED_STATUSES, Application, FoundationModel, Status, TeamMember
from cohorts.models import ExportScope, Section, ShortlistEntry
from reviews.models import Review, ReviewStatus

CHUNK_SIZE = 500

# (key, header). The key is the JSON field; the header is the spreadsheet column title.
COLUMNS = [
    ("rank", gettext_lazy("Rank")),
    ("list", gettext_lazy("List")),
    ("startup", gettext_lazy("Startup")),
    ("country_code", gettext_lazy("Country code")),
    ("country", gettext_lazy("Country")),
    ("city", gettext_lazy("City")),
    ("website", gettext_lazy("Website")),
    ("founders", gettext_lazy("Founders")),
    ("founder_emails", gettext_lazy("Founder e-mails")),
    ("founder_roles", gettext_lazy("Founder roles")),
    ("models", gettext_lazy("Models used")),
    ("gpu_hours_per_month", gettext_lazy("H100 GPU-hours per month")),
    ("data_must_stay_in_eu", gettext_lazy("Data must stay in the EU")),
    ("status", gettext_lazy("Decision status")),
    ("offer", gettext_lazy("Offer")),
    ("score", gettext_lazy("Ranking score")),
    ("mean_score", gettext_lazy("Mean review score")),
    ("reviews", gettext_lazy("Reviews")),
    ("submitted_at", gettext_lazy("Submitted")),
    ("application_id", gettext_lazy("Application ID")),
]
KEYS = [key for key, _label in COLUMNS]
EXPORTED_FIELDS = (
    "id",
    "call_id",
    "status",
    "submitted_at",
    "startup_name",
    "country",
    "city",
    "website",
    "foundation_models",
    "foundation_models_other",
    "gpu_hours_per_month",
    "data_must_stay_in_eu",
)
SEPARATOR = "; "


def headers(call) -> list[str]:
    zone = call.time_zone.split("/")[-1].replace("_", " ")
    labels = []
    for key, label in COLUMNS:
        text = str(label)
        if key == "submitted_at":
            text = _("%(label)s (%(city)s time)") % {"label": text, "city": zone}
        labels.append(text)
    return labels


def export_queryset(call, scope: str, application_ids=None) -> QuerySet[Application]:
    """Applications of one scope, annotated with rank, list, scores; ordered for reading."""
    entries = ShortlistEntry.objects.filter(
        run__call=call, run__locked_at__isnull=False, application=OuterRef("pk")
    ).order_by()
    reviews = (
        Review.objects.filter(assignment__application=OuterRef("pk"), status=ReviewStatus.SUBMITTED)
        .order_by()
        .values("assignment__application")
    )
    qs = Application.objects.filter(call=call).annotate(
        rank=Subquery(entries.values("rank")[:1]),
        list_section=Subquery(entries.values("section")[:1]),
        run_score=Subquery(entries.values("score")[:1]),
        mean_score=Subquery(reviews.annotate(m=Avg("weighted_score")).values("m")[:1]),
        review_count=Subquery(reviews.annotate(n=Count("pk")).values("n")[:1]),
    )
    if application_ids is not None:
        qs = qs.filter(pk__in=list(application_ids))
    elif scope == ExportScope.COHORT:
        qs = qs.filter(status=Status.ACCEPTED)
    elif scope == ExportScope.SHORTLIST:
        qs = qs.filter(
            pk__in=ShortlistEntry.objects.filter(
                run__call=call, run__locked_at__isnull=False, section__in=[Section.SHORTLIST, Section.WAITLIST]
            ).values("application_id")
        )
    elif scope == ExportScope.SUBMITTED:
        qs = qs.filter(status__in=SUBMITTED_STATUSES)
    else:
        raise ValueError(f"Unknown export scope {scope!r}")
    # Only the exported columns: the long answers (problem, solution...) stay in the database.
    qs = qs.only(*EXPORTED_FIELDS, "offer__id", "offer__status", "offer__application_id")
    return qs.select_related("offer").order_by(
        F("rank").asc(nulls_last=True), F("mean_score").desc(nulls_last=True), "pk"
    )


def count(call, scope: str, application_ids=None) -> int:
    if application_ids is not None:
        return Application.objects.filter(call=call, pk__in=list(application_ids)).count()
    base = export_queryset(call, scope)
    return Application.objects.filter(pk__in=base.values("pk")).count()


def iter_applications(call, scope: str, application_ids=None, chunk_size: int = CHUNK_SIZE) -> Iterator[Application]:
    """Read in chunks: one query per chunk for applications, one for their team members."""
    members = Prefetch(
        "team_members",
        queryset=TeamMember.objects.only("application_id", "name", "email", "role").order_by("order", "id"),
    )
    qs = export_queryset(call, scope, application_ids).prefetch_related(members)
    return qs.iterator(chunk_size=chunk_size)


def _models(application, labels) -> list[str]:
    result = []
    for value in application.foundation_models or []:
        if value == FoundationModel.OTHER and application.foundation_models_other.strip():
            result.append(application.foundation_models_other.strip())
        else:
            result.append(labels["models"].get(value, str(value)))
    return result


def _labels() -> dict:
    """Choice labels in the active language, looked up once per export instead of once per row."""
    from cohorts.models import OfferStatus

    return {
        "status": {value: str(label) for value, label in Status.choices},
        "section": {value: str(label) for value, label in Section.choices},
        "offer": {value: str(label) for value, label in OfferStatus.choices},
        "models": {value: str(label) for value, label in FoundationModel.choices},
        "countries": {},
    }


def _round(value):
    return None if value is None else round(value, 3)


def record(application, call, labels=None) -> dict:
    """Everything exported about one application, as Python values."""
    labels = labels or _labels()
    # select_related("offer") caches a missing offer; the reverse accessor then raises AttributeError.
    offer = getattr(application, "offer", None)
    members = list(application.team_members.all())
    zone = zoneinfo.ZoneInfo(call.time_zone)
    submitted = timezone.localtime(application.submitted_at, zone) if application.submitted_at else None
    section = application.list_section
    code = application.country.code or ""
    if code not in labels["countries"]:
        labels["countries"][code] = str(application.country.name) if code else ""
    return {
        "application_id": application.pk,
        "rank": application.rank,
        "list": section or "",
        "list_label": labels["section"].get(section, ""),
        "startup": application.startup_name,
        "country_code": code,
        "country": labels["countries"][code],
        "city": application.city,
        "website": application.website,
        "founders": [{"name": m.name, "email": m.email, "role": m.role} for m in members],
        "models": _models(application, labels),
        "gpu_hours_per_month": application.gpu_hours_per_month,
        "data_must_stay_in_eu": application.data_must_stay_in_eu,
        "status": application.status,
        "status_label": labels["status"].get(application.status, application.status),
        "offer": offer.status if offer else "",
        "offer_label": labels["offer"].get(offer.status, "") if offer else "",
        "score": _round(application.run_score),
        "mean_score": _round(application.mean_score),
        "reviews": application.review_count or 0,
        "submitted_at": submitted,
    }


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def flat_row(rec: dict) -> list:
    """Cells for a spreadsheet, in COLUMNS order. Text is not yet neutralised (the writer does it)."""
    founders = rec["founders"]
    cells = {
        **rec,
        "list": rec["list_label"],
        "founders": SEPARATOR.join(m["name"] for m in founders),
        "founder_emails": SEPARATOR.join(m["email"] for m in founders),
        "founder_roles": SEPARATOR.join(m["role"] for m in founders),
        "models": SEPARATOR.join(rec["models"]),
        "data_must_stay_in_eu": _yes_no(rec["data_must_stay_in_eu"]),
        "status": rec["status_label"],
        "offer": rec["offer_label"],
        "submitted_at": rec["submitted_at"].strftime("%Y-%m-%d %H:%M") if rec["submitted_at"] else "",
    }
    return [cells[key] for key in KEYS]


def json_row(rec: dict) -> dict:
    row = dict(rec)
    row["submitted_at"] = rec["submitted_at"].isoformat() if rec["submitted_at"] else None
    return row


def records(call, scope: str, application_ids=None, chunk_size: int = CHUNK_SIZE) -> Iterator[dict]:
    labels = _labels()
    for application in iter_applications(call, scope, application_ids, chunk_size):
        rec = record(application, call, labels)
        # Team members point back at their application: dropping the prefetch cache breaks the cycle
        # so each chunk is freed at once instead of waiting for the cyclic garbage collector.
        application._prefetched_objects_cache = {}
        yield rec
