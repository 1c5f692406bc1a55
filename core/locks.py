"""Row locks Django's ORM does not offer."""

from django.db import connection


def share_row(model, pk) -> None:
    """Hold one row in SHARE mode until the transaction ends (PostgreSQL's SELECT ... FOR SHARE).

    Holders of the same row do not wait on each other; a writer that locks it FOR UPDATE or
    updates it waits for all of them, and they for it. For writes that must see a parent row
    unchanged (a review saved under its call's rubric) without queueing behind each other.
    `select_for_update` has no shared mode, hence one statement of SQL. Other databases (SQLite)
    serialise writers anyway, so there is nothing to take there.
    """
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE {column} = %s FOR SHARE", [pk])  # noqa: S608 (names from the model)
