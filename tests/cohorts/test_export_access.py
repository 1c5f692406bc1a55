"""Cohort lists ask applications.access too: an export holds only what its requester may read."""

import pytest

from cohorts.exports import rows as export_rows
from cohorts.exports import services
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.reviews import AssignmentFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_apps(call):
    return [ApplicationFactory(call=call, submitted=True, startup_name=f"Startup {i}") for i in range(3)]


def ids(call, by):
    return sorted(rec["application_id"] for rec in export_rows.records(call, "submitted", by=by))


def test_an_organiser_exports_every_application_of_the_call(call, organiser, submitted_apps):
    assert ids(call, organiser) == sorted(a.pk for a in submitted_apps)
    assert export_rows.count(call, "submitted", by=organiser) == 3


def test_anyone_else_exports_only_what_they_may_read(call, submitted_apps):
    reviewer = ReviewerFactory()
    AssignmentFactory(reviewer=reviewer, application=submitted_apps[0])
    assert ids(call, reviewer) == [submitted_apps[0].pk]
    assert ids(call, submitted_apps[1].owner) == [submitted_apps[1].pk]
    assert ids(call, UserFactory()) == []


def test_a_deactivated_organiser_s_export_is_empty(call, organiser, submitted_apps):
    organiser.is_active = False
    organiser.save()
    csv = b"".join(services.stream(call, "submitted", "csv", by=organiser).streaming_content).decode("utf-8-sig")
    assert csv.count("\n") == 1  # the header alone
