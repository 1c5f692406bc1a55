"""Server-side prepared statements for queries that run on most page views.

Django's PostgreSQL connections write parameters into the SQL text (client-side binding) and
prepare nothing, so PostgreSQL parses and plans each query again: for the application page's
permission check, planning takes several times as long as running it. A statement executed
through prepared_cursor() is prepared once per connection (psycopg keeps the name and prepares
again on a new connection, or after a DISCARD ALL) and then only executed.

The connections' prepare_threshold (accelerator.config.NEVER_PREPARE_ON_ITS_OWN) is out of reach:
psycopg prepares nothing on its own, only what goes through here. Behind PgBouncer in transaction
mode this needs PgBouncer 1.21 or later with max_prepared_statements set.
"""

import psycopg
from django.db import connection


class _PreparedCursor(psycopg.Cursor):
    def execute(self, query, params=None, *, prepare=True, binary=None):
        return super().execute(query, params, prepare=prepare, binary=binary)


def prepared_cursor():
    """A cursor whose statements are prepared on the server, through Django's wrappers (query
    logging, execute_wrapper), on PostgreSQL; Django's own cursor on other databases."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    # What connection.cursor() does before it makes Django's own cursor.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    cursor = _PreparedCursor(connection.connection)
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)
