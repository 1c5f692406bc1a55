"""accelerator.prepared: the application page's permission check is prepared once per connection on
PostgreSQL, gives the same answers as Django's cursor, and is still seen by query counting."""

import pytest
from django.db import connection
from django.http import Http404

from applications import selectors
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory

pytestmark = pytest.mark.django_db


def prepared_statements(fragment: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{fragment}%"])
        return cursor.fetchone()[0]


def test_the_check_is_counted_like_any_query_and_refuses_strangers(django_assert_num_queries):
    application = ApplicationFactory()
    with django_assert_num_queries(1):
        row = selectors.founder_page_version(application.owner, application.pk)
    assert row[:3] == (application.owner_id, application.version, application.status)
    with pytest.raises(Http404):
        selectors.founder_page_version(UserFactory(), application.pk)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_it_is_prepared_once_and_nothing_else_is():
    application = ApplicationFactory()
    marker = "applications_membership m WHERE m.application_id = a.id"
    before = prepared_statements("applications_application")
    for _ in range(3):
        selectors.founder_page_version(application.owner, application.pk)
    assert prepared_statements(marker) == 1
    # The ORM's queries, however often they run, are not prepared (prepare_threshold out of reach).
    for _ in range(10):
        list(type(application).objects.filter(pk=application.pk))
    assert prepared_statements("applications_application") == before + 1
