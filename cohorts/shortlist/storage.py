"""How a shortlist run is stored: its packed ranking and its entry rows.

Shared by the review shortlist (cohorts.shortlist.services) and the final ranking
(cohorts.shortlist.final), which store their runs the same way.
"""

from django.db import connection

from cohorts import selectors
from cohorts.models import ShortlistEntry, ShortlistRanking, ShortlistRun
from cohorts.shortlist import ranking, scores, snapshot

ENTRY_BATCH = 5_000

ENTRY_COLUMNS = snapshot.ENTRY_COLUMNS
ENTRY_TYPES = ("int8", "int8", "text", "int4", "float8", "float8", "float8", "float8")
ENTRY_TYPES += ("int4", "int4", "int4", "int4", "bool", "bool")


def run_columns(field: ranking.Field, placed: ranking.Placed, method: str) -> dict[str, list]:
    """Every stored column of the run (ENTRY_COLUMNS and the submission order), by application id."""
    return {
        "application_id": field.ids,
        "submission": field.submission,
        "section": placed.section,
        "rank": placed.ranks[method],
        "score": field.scores[method],
        "score_mean": field.scores[ranking.MEAN],
        "score_zscore": field.scores[ranking.ZSCORE],
        "score_percentile": field.scores[ranking.PERCENTILE],
        "rank_mean": placed.ranks[ranking.MEAN],
        "rank_zscore": placed.ranks[ranking.ZSCORE],
        "rank_percentile": placed.ranks[ranking.PERCENTILE],
        "review_count": field.counts,
        "pinned": placed.pinned,
        "stable": placed.stable,
    }


def insert_ranking(run: ShortlistRun, data: bytes) -> None:
    """The packed ranking, sent as a binary parameter on PostgreSQL (the ORM would send megabytes
    of hexadecimal text for the server to parse)."""
    if connection.vendor != "postgresql":
        ShortlistRanking.objects.create(run=run, data=data)
        return
    table = connection.ops.quote_name(ShortlistRanking._meta.db_table)
    with connection.cursor() as cursor, scores.binary_cursor(cursor) as binary:
        binary.execute(f"INSERT INTO {table} (run_id, data) VALUES (%s, %b)", [run.pk, data])  # noqa: S608


def insert_entries(run: ShortlistRun, rows) -> None:
    """Store rows of ENTRY_COLUMNS, in application id order (the order of two of the table's
    indexes, which makes inserting them cheaper): binary COPY on PostgreSQL, bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        ShortlistEntry.objects.bulk_create(
            (ShortlistEntry(run=run, **dict(zip(ENTRY_COLUMNS, row, strict=True))) for row in rows),
            batch_size=ENTRY_BATCH,
        )
        return
    table = ShortlistEntry._meta.db_table
    columns = ", ".join(("run_id", *ENTRY_COLUMNS))
    sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.set_types(ENTRY_TYPES)
        run_id = run.pk
        for row in rows:
            copy.write_row((run_id, *row))


def store_all_rows(run: ShortlistRun) -> None:
    """The locked run as rows for every application: exports and statuses join them."""
    present = set(run.entries.values_list("application_id", flat=True))
    insert_entries(run, selectors.ranking(run).rows(ENTRY_COLUMNS, skip_ids=present))
