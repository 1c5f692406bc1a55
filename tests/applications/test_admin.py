import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
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


def _at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.fixture
def dated_call():
    """Submissions in January, March and (in Paris time) April 2026, and in 2025; none in February."""
    call = CallFactory()
    for moment in ("2025-12-31T22:30", "2026-01-15T10:00", "2026-03-02T08:00", "2026-03-31T22:30"):
        ApplicationFactory(call=call, submitted=True, submitted_at=_at(moment))
    ApplicationFactory(call=call)  # a draft: no date
    ApplicationFactory(submitted=True, submitted_at=_at("2026-02-10T10:00"))  # another call's
    return call


@pytest.mark.parametrize("kind", ["year", "month", "day"])
def test_date_hierarchy_probes_find_the_same_periods_as_django(dated_call, kind):
    from core.admin_dates import with_cheap_date_hierarchy

    rows = Application.objects.filter(call=dated_call)
    assert list(with_cheap_date_hierarchy(rows).datetimes("submitted_at", kind)) == list(
        rows.datetimes("submitted_at", kind)
    )
    in_2026 = rows.filter(submitted_at__year=2026)
    assert list(with_cheap_date_hierarchy(in_2026).datetimes("submitted_at", kind)) == list(
        in_2026.datetimes("submitted_at", kind)
    )
    assert list(with_cheap_date_hierarchy(rows.none()).datetimes("submitted_at", kind)) == []


def test_list_offers_the_months_that_have_submissions(client, dated_call):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:applications_application_changelist")
    with CaptureQueriesContext(connection) as queries:
        text = client.get(url, {"call__id__exact": dated_call.pk, "submitted_at__year": 2026}).content.decode()
    assert "January 2026" in text and "March 2026" in text and "April 2026" in text
    assert "February 2026" not in text
    assert not [q for q in queries if "DISTINCT" in q["sql"].upper()]  # no scan of every row's date


def test_long_list_stops_counting_and_shows_country_names(client, monkeypatch):
    from core.admin_paging import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "cap", 2)
    call = CallFactory()
    ApplicationFactory.create_batch(3, call=call, submitted=True, country="DE")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:applications_application_changelist")
    text = client.get(url, {"call__id__exact": call.pk}).content.decode()
    assert "more than 2 applications" in text
    assert '<td class="field-country_name">Germany</td>' in text
    monkeypatch.setattr(CappedCountPaginator, "cap", 10)
    assert "3 applications" in client.get(url, {"call__id__exact": call.pk}).content.decode()


def test_an_application_under_review_stays_in_its_call(client):
    from tests.factories.reviews import AssignmentFactory

    reviewed = AssignmentFactory().application
    fresh = ApplicationFactory(submitted=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    def form_fields(app):
        response = client.get(reverse("admin:applications_application_change", args=[app.pk]))
        return response.context["adminform"].form.fields

    assert "call" not in form_fields(reviewed)
    assert "call" in form_fields(fresh)
