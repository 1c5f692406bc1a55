"""What a cohort list contains, for each scope, read in chunks with a constant number of queries.

One row per application: `cell_rows` gives spreadsheet cells (CSV, XLSX), `json_rows` JSON objects
with lists and booleans kept as such, `records` the Python values behind both.

Built for 100,000 applications: plain values (values_list), never model instances; one query for
the applications in list order (a server-side cursor), one per chunk for the team members; labels
from dicts built once per export, never looked up or translated per row.
"""

import json
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.db.models import Avg, Count, F, FilteredRelation, Lookup, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import Country

from applications.access import readable_applications
from applications.models import SUBMITTED_STATUSES, Application, FoundationModel, Status, TeamMember
from cohorts.models import ExportScope, OfferStatus, Section
from cohorts.selectors import shown_stage
from reviews.models import ReviewStatus

CHUNK_SIZE = 2000

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
# What is read for each application, in this order: its place in the list, then its exported fields.
# The model list is read as its JSON text: a call has few distinct lists, so each is decoded and
# labelled once (see _Labels.models) instead of once per row.
READ_FIELDS = (
    "pk",
    "rank",
    "list_section",
    "run_score",
    "mean_score",
    "review_count",
    "status",
    "submitted_at",
    "startup_name",
    "country",
    "city",
    "website",
    "models_json",
    "foundation_models_other",
    "gpu_hours_per_month",
    "data_must_stay_in_eu",
    "offer__status",
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


def scoped(call, scope: str, application_ids=None, *, by) -> QuerySet[Application]:
    """The applications of one scope (or of an admin selection) that `by` may read, unordered.

    `by` is the person the list is for, and applications.access decides what they read (an
    organiser: the whole call); None only for the operator's shell command (export_cohort).

    `entry` is each application's entry in the call's locked shortlist run, if any: at most one
    locked run per call and stage, one entry per application in a run (both are database
    constraints); with the interview stage, the final ranking's once it is locked.
    """
    of_call = Application.objects.filter(call=call)
    qs = (
        (of_call if by is None else readable_applications(by, of_call))
        .annotate(
            locked_run=FilteredRelation(
                "call__shortlist_runs",
                condition=Q(
                    call__shortlist_runs__locked_at__isnull=False, call__shortlist_runs__stage=shown_stage(call)
                ),
            ),
            entry=FilteredRelation("locked_run__entries", condition=Q(locked_run__entries__application=F("pk"))),
        )
        .order_by()
    )
    if application_ids is not None:
        return qs.filter(pk__in=list(application_ids))
    if scope == ExportScope.COHORT:
        return qs.filter(status=Status.ACCEPTED)
    if scope == ExportScope.SHORTLIST:
        # A join rather than `pk IN (subquery)`: with the review joins, the planner could only apply
        # the subquery after joining every application of the call (seconds instead of milliseconds).
        return qs.filter(entry__section__in=[Section.SHORTLIST, Section.WAITLIST])
    if scope == ExportScope.SUBMITTED:
        return qs.filter(status__in=SUBMITTED_STATUSES)
    raise ValueError(f"Unknown export scope {scope!r}")


def count(call, scope: str, application_ids=None, *, by) -> int:
    return scoped(call, scope, application_ids, by=by).count()


def ordered_rows(call, scope: str, application_ids=None, *, by) -> QuerySet:
    """One tuple of READ_FIELDS per application, in list order (the long answers stay in the database).

    One query whatever the size. The locked run's entry is a join and the review mean and count one
    aggregate over the joined reviews: at 100,000 applications, a subquery per application and field
    cost the database twice as much.
    """
    submitted = Q(assignments__review__status=ReviewStatus.SUBMITTED)
    return (
        scoped(call, scope, application_ids, by=by)
        .annotate(
            rank=F("entry__rank"),
            list_section=F("entry__section"),
            run_score=F("entry__score"),
            mean_score=Avg("assignments__review__weighted_score", filter=submitted),
            review_count=Count("assignments__review", filter=submitted),
            models_json=Cast("foundation_models", TextField()),
        )
        .order_by(F("rank").asc(nulls_last=True), F("mean_score").desc(nulls_last=True), "pk")
        .values_list(*READ_FIELDS)
    )


class _AnyOf(Lookup):
    """`column = ANY(%s)` with the chunk's ids as one array parameter on PostgreSQL.

    `pk__in=ids` binds one parameter per id: for chunks of thousands, building and parsing those
    statements cost more than running them. Elsewhere it falls back to IN (...).
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", (*params, *self.rhs)

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, list(self.rhs))


def _members(ids: list[int]) -> dict[int, list[tuple]]:
    """Each application's team as (application id, name, e-mail, role) rows, in the founders' order."""
    people = defaultdict(list)
    members = (
        TeamMember.objects.filter(_AnyOf(F("application_id"), ids))
        .order_by("application_id", "order", "id")
        .values_list("application_id", "name", "email", "role")
    )
    for member in members:
        people[member[0]].append(member)
    return people


def _read(call, scope: str, application_ids, chunk_size: int, *, by) -> Iterator[tuple[tuple, list]]:
    """(READ_FIELDS values, team) of each application, in list order.

    Queries: one for the rows (a server-side cursor on PostgreSQL, so memory stays flat), then one
    per chunk for the team members, whatever the number of rows.
    """
    rows = ordered_rows(call, scope, application_ids, by=by).iterator(chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        teams = _members([row[0] for row in chunk])
        for row in chunk:
            yield row, teams.get(row[0], ())


class _Labels:
    """Labels in the active language, looked up once per export instead of once per row."""

    def __init__(self):
        self.status = {value: str(label) for value, label in Status.choices}
        self.section = {value: str(label) for value, label in Section.choices}
        self.offer = {value: str(label) for value, label in OfferStatus.choices}
        self.model_names = {value: str(label) for value, label in FoundationModel.choices}
        self.yes_no = {None: "", True: _("yes"), False: _("no")}
        self._countries = {}
        self._models = {}

    def country(self, raw) -> tuple[str, str]:
        """(code, name) as the model's Country gives them."""
        found = self._countries.get(raw)
        if found is None:
            country = Country(raw or "")
            code = country.code or ""
            found = self._countries[raw] = (code, str(country.name) if code else "")
        return found

    def models(self, text, other: str) -> tuple[list[str], str]:
        """The models used, named, as a list and as one cell.

        Cached per distinct list; a founder's own "other" model is put in per row, so the cache
        stays as small as the number of distinct lists whatever the free text.
        """
        found = self._models.get(text)
        if found is None:
            values = (json.loads(text) if text else None) or []
            names = [self.model_names.get(value, str(value)) for value in values]
            found = self._models[text] = (values, names, SEPARATOR.join(names), FoundationModel.OTHER in values)
        values, names, cell, has_other = found
        if has_other and other.strip():
            own = other.strip()
            names = [own if value == FoundationModel.OTHER else name for value, name in zip(values, names, strict=True)]
            cell = SEPARATOR.join(names)
        return names, cell


def _round(value):
    return None if value is None else round(value, 3)


def records(call, scope: str, application_ids=None, chunk_size: int = CHUNK_SIZE, *, by) -> Iterator[dict]:
    """Everything exported about each application, as Python values, in list order."""
    labels = _Labels()
    zone = zoneinfo.ZoneInfo(call.time_zone)
    for row, team in _read(call, scope, application_ids, chunk_size, by=by):
        (pk, rank, section, run_score, mean_score, review_count, status, submitted_at) = row[:8]
        startup, country, city, website, models, other, gpu, in_eu, offer = row[8:]
        code, country_name = labels.country(country)
        yield {
            "application_id": pk,
            "rank": rank,
            "list": section or "",
            "list_label": labels.section.get(section, ""),
            "startup": startup,
            "country_code": code,
            "country": country_name,
            "city": city,
            "website": website,
            "founders": [{"name": name, "email": email, "role": role} for _id, name, email, role in team],
            "models": list(labels.models(models, other)[0]),
            "gpu_hours_per_month": gpu,
            "data_must_stay_in_eu": in_eu,
            "status": status,
            "status_label": labels.status.get(status, status),
            "offer": offer or "",
            "offer_label": labels.offer.get(offer, "") if offer else "",
            "score": _round(run_score),
            "mean_score": _round(mean_score),
            "reviews": review_count or 0,
            "submitted_at": submitted_at.astimezone(zone) if submitted_at else None,
        }


def json_rows(call, scope: str, application_ids=None, *, by) -> Iterator[dict]:
    for rec in records(call, scope, application_ids, by=by):
        submitted = rec["submitted_at"]
        rec["submitted_at"] = submitted.isoformat() if submitted else None
        yield rec


def cell_rows(
    call, scope: str, application_ids=None, chunk_size: int = CHUNK_SIZE, *, by, typed_dates: bool = False
) -> Iterator[list]:
    """Spreadsheet cells in COLUMNS order, built straight from the rows read (no record in between).

    Text is not yet neutralised: the writers do it. The submission time is text ("YYYY-MM-DD HH:MM"
    in the call's zone) for CSV; with typed_dates, a datetime in that zone for a typed XLSX cell.
    A team member without a name, e-mail or role leaves no empty entry ("a@x.eu; ; b@x.eu").
    """
    labels = _Labels()
    zone = zoneinfo.ZoneInfo(call.time_zone)

    def join(values):
        return SEPARATOR.join([value for value in values if value])

    for row, team in _read(call, scope, application_ids, chunk_size, by=by):
        (pk, rank, section, run_score, mean_score, review_count, status, submitted_at) = row[:8]
        startup, country, city, website, models, other, gpu, in_eu, offer = row[8:]
        code, country_name = labels.country(country)
        yield [
            rank,
            labels.section.get(section, ""),
            startup,
            code,
            country_name,
            city,
            website,
            join([member[1] for member in team]),
            join([member[2] for member in team]),
            join([member[3] for member in team]),
            labels.models(models, other)[1],
            gpu,
            labels.yes_no[in_eu],
            labels.status.get(status, status),
            labels.offer.get(offer, "") if offer else "",
            None if run_score is None else round(run_score, 3),
            None if mean_score is None else round(mean_score, 3),
            review_count or 0,
            _submitted(submitted_at, zone, typed_dates),
            pk,
        ]


def _submitted(moment, zone, typed: bool):
    if not moment:
        return None if typed else ""
    local = moment.astimezone(zone)
    # "YYYY-MM-DD HH:MM" in the call's zone (isoformat costs a fraction of strftime).
    return local.replace(tzinfo=None, second=0, microsecond=0) if typed else local.isoformat(" ", "minutes")[:16]


# Column widths in characters for XLSX (at least the header's): what a typical value needs.
WIDTHS = {
    "startup": 28,
    "country": 18,
    "city": 16,
    "website": 32,
    "founders": 36,
    "founder_emails": 42,
    "founder_roles": 24,
    "models": 30,
    "status": 16,
    "offer": 14,
    "submitted_at": 18,
}


def widths(labels: list[str]) -> list[int]:
    """One width per column of `headers()`: the header's length or the typical value's, at most 50."""
    return [
        min(50, max(len(label) + 2, WIDTHS.get(key, 10))) for (key, _label), label in zip(COLUMNS, labels, strict=True)
    ]
