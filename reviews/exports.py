"""Exports of submitted reviews (CSV or JSON), streamed with a constant number of queries.

One row per review that counts (submitted, assignment still active). Each criterion's score comes
from a correlated subquery on the (review, criterion) unique index, so the rows stream from one
query whatever their number: no per-review or per-chunk query.
"""

import json
from collections.abc import Iterator

from django.db.models import OuterRef, Subquery

from accelerator.spreadsheet import csv_lines
from reviews.models import Organisation, Score
from reviews.selectors import submitted_reviews

FORMATS = ("csv", "json")
FIXED_COLUMNS = ("application_id", "startup", "reviewer_id", "reviewer_organisation")
TAIL_COLUMNS = ("weighted_score", "recommendation", "confidence", "submitted_at")
CHUNK = 2000


def _criteria(call):
    return list(call.criteria.order_by("order", "id"))


def _rows(call, criteria) -> Iterator[tuple]:
    per_criterion = {
        f"criterion_{c.pk}": Subquery(
            Score.objects.filter(review=OuterRef("pk"), criterion_id=c.pk).values("value")[:1]
        )
        for c in criteria
    }
    queryset = (
        submitted_reviews(call)
        .annotate(**per_criterion)
        .order_by("assignment__application_id", "submitted_at", "pk")
        .values_list(
            "assignment__application_id",
            "assignment__application__startup_name",
            "assignment__reviewer_id",
            "assignment__reviewer__reviewer_profile__organisation",
            *per_criterion,
            "weighted_score",
            "recommendation",
            "confidence",
            "submitted_at",
        )
    )
    labels = dict(Organisation.choices)
    n = len(criteria)
    for row in queryset.iterator(chunk_size=CHUNK):
        app_id, startup, reviewer_id, organisation = row[:4]
        scores = row[4 : 4 + n]
        weighted, recommendation, confidence, submitted_at = row[4 + n :]
        yield (
            app_id,
            startup,
            reviewer_id,
            str(labels.get(organisation, "")) if organisation else "",
            scores,
            None if weighted is None else round(weighted, 3),
            recommendation,
            confidence,
            submitted_at.isoformat() if submitted_at else None,
        )


def csv_export(call) -> Iterator[str]:
    criteria = _criteria(call)
    header = [*FIXED_COLUMNS, *(c.name for c in criteria), *TAIL_COLUMNS]
    rows = ((*r[:4], *r[4], *r[5:]) for r in _rows(call, criteria))
    return csv_lines(header, rows)


def json_export(call) -> Iterator[str]:
    criteria = _criteria(call)
    head = {
        "call": call.slug,
        "criteria": [{"id": c.pk, "name": c.name, "weight": c.weight, "scale_max": c.scale_max} for c in criteria],
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "reviews": ['
    first = True
    for app_id, startup, reviewer_id, organisation, scores, weighted, recommendation, confidence, submitted in _rows(
        call, criteria
    ):
        item = {
            "application_id": app_id,
            "startup": startup,
            "reviewer_id": reviewer_id,
            "reviewer_organisation": organisation,
            "scores": {c.name: value for c, value in zip(criteria, scores, strict=True)},
            "weighted_score": weighted,
            "recommendation": recommendation,
            "confidence": confidence,
            "submitted_at": submitted,
        }
        yield ("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def export(call, fmt: str) -> Iterator[str]:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return csv_export(call) if fmt == "csv" else json_export(call)


def filename(call, fmt: str) -> str:
    return f"reviews-{call.slug}.{fmt}"


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
