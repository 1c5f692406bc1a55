"""A kept database connection that PostgreSQL dropped (a restart) is replaced, not used to fail a request."""

import pytest
from django.db import connection, connections
from django.test.utils import override_settings

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL drops the connection here")
def test_a_connection_dropped_between_requests_is_replaced(client):
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    connection.ensure_connection()
    backend_pid = connection.connection.info.backend_pid
    # What a PostgreSQL restart does to every kept connection, done to this one alone.
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
    finally:
        other.close()
    # What Django does as the next request starts (the test client leaves it out).
    connection.close_if_unusable_or_obsolete()
    with override_settings(REDIS_URL=""):
        response = client.get("/healthz")
    assert response.json()["database"] == "ok"
    assert connection.connection.info.backend_pid != backend_pid
