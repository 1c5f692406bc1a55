"""Exports of submitted reviews (CSV or JSON), streamed with a constant number of queries.

One row per review that counts (submitted, assignment still active), in review order. Three
queries whatever the number of reviews: the rubric, the reviews and their scores.
"""

import datetime as dt
import json
from collections.abc import Iterator

from django.db import connection, transaction
from django.db.models import CharField
from django.db.models.functions import Cast

from core.spreadsheet import csv_lines
from reviews.models import Organisation, ReviewStatus, Score
from reviews.selectors import submitted_reviews

FORMATS = ("csv", "json")
FIXED_COLUMNS = ("application_id", "startup", "reviewer_id", "reviewer_organisation")
TAIL_COLUMNS = ("weighted_score", "recommendation", "confidence", "submitted_at")
CHUNK = 2000


def _criteria(call):
    return list(call.criteria.order_by("order", "id"))


def _rows(call, criteria) -> Iterator[tuple]:
    # Two ordered streams merged in Python: the reviews, and their scores by review id. Each is one
    # query read through a cursor in chunks, so the query count and the memory stay flat.
    reviews = (
        submitted_reviews(call)
        # The time as text: parsing 300,000 timestamps into datetimes only to print them again
        # was most of the export's time.
        .annotate(submitted_text=Cast("submitted_at", CharField()))
        .order_by("pk")
        .values_list(
            "pk",
            "assignment__application_id",
            "assignment__application__startup_name",
            "assignment__reviewer_id",
            "assignment__reviewer__reviewer_profile__organisation",
            "weighted_score",
            "recommendation",
            "confidence",
            "submitted_text",
        )
    )
    scores = (
        Score.objects.filter(review__status=ReviewStatus.SUBMITTED, review__assignment__application__call=call)
        .order_by("review_id")
        .values_list("review_id", "criterion_id", "value")
        .iterator(chunk_size=CHUNK * 5)
    )
    column = {c.pk: i for i, c in enumerate(criteria)}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Both cursors are read to the end: plan for all rows (hash joins), not for the first ones.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        yield from _merge(reviews.iterator(chunk_size=CHUNK), scores, column)


def _iso_utc(text: str | None) -> str | None:
    """ "2026-11-11 17:23:48.29+00" (PostgreSQL) or "2026-11-11 17:23:48.29" (SQLite, UTC) as ISO 8601."""
    if not text:
        return None
    moment = dt.datetime.fromisoformat(text)  # C code: far cheaper than the database driver's parser
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).isoformat()


def _merge(reviews, scores, column) -> Iterator[tuple]:
    labels = dict(Organisation.choices)
    pending = next(scores, None)
    for row in reviews:
        review_id, app_id, startup, reviewer_id, organisation, weighted, recommendation, confidence, submitted = row
        values = [None] * len(column)
        while pending is not None and pending[0] < review_id:  # scores of a review that does not count
            pending = next(scores, None)
        while pending is not None and pending[0] == review_id:
            if pending[1] in column:
                values[column[pending[1]]] = pending[2]
            pending = next(scores, None)
        yield (
            app_id,
            startup,
            reviewer_id,
            str(labels.get(organisation, "")) if organisation else "",
            values,
            None if weighted is None else round(weighted, 3),
            recommendation,
            confidence,
            _iso_utc(submitted),
        )


def _batched(lines: Iterator[str], size: int = 200) -> Iterator[str]:
    """A few hundred lines per chunk: a chunk per line made 300,000 writes of a streamed download."""
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def csv_export(call) -> Iterator[str]:
    criteria = _criteria(call)
    header = [*FIXED_COLUMNS, *(c.name for c in criteria), *TAIL_COLUMNS]
    rows = ((*r[:4], *r[4], *r[5:]) for r in _rows(call, criteria))
    return _batched(csv_lines(header, rows))


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
