import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory

pytestmark = pytest.mark.django_db


def test_filtered_list_does_not_count_every_application(client):
    call = CallFactory()
    ApplicationFactory.create_batch(3, call=call)
    ApplicationFactory.create_batch(2)  # another call's
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:applications_application_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"call__id__exact": call.pk})
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "applications_application" in q["sql"]]
    assert counts and all("WHERE" in sql.upper() for sql in counts)  # only the filtered count


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_does_not_grow(client, rows, django_assert_max_num_queries):
    call = CallFactory()
    ApplicationFactory.create_batch(rows, call=call, submitted=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:applications_application_changelist")
    client.get(url)  # the first request of a session also records the staff activity time
    with django_assert_max_num_queries(12):
        assert client.get(url, {"call__id__exact": call.pk}).status_code == 200
