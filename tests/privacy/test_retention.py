"""Drafts of long-closed calls, and old login records, are deleted daily."""

import datetime as dt
import io

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from privacy import retention, tasks
from tests.applications.helpers import minimal_pdf
from tests.factories.applications import ApplicationFactory, TeamMemberFactory
from tests.factories.calls import CallFactory

pytestmark = pytest.mark.django_db


def call_closed(days_ago):
    closes = timezone.now() - dt.timedelta(days=days_ago)
    return CallFactory(opens_at=closes - dt.timedelta(days=30), closes_at=closes)


def draft_with_deck(call):
    application = ApplicationFactory(call=call)
    TeamMemberFactory(application=application)
    application.pitch_deck.save("deck.pdf", io.BytesIO(minimal_pdf()), save=True)
    return application


@pytest.fixture
def calls():
    return {"old": call_closed(200), "recent": call_closed(150), "open": CallFactory()}


@pytest.mark.usefixtures("deck_storage")
def test_drafts_of_calls_closed_over_six_months_ago_are_deleted_with_their_decks(
    calls, django_capture_on_commit_callbacks
):
    old_draft = draft_with_deck(calls["old"])
    old_submitted = ApplicationFactory(call=calls["old"], submitted=True)
    old_withdrawn = ApplicationFactory(call=calls["old"], submitted=True, status="withdrawn")
    recent_draft = draft_with_deck(calls["recent"])
    open_draft = draft_with_deck(calls["open"])
    storage = old_draft.pitch_deck.storage
    old_file = old_draft.pitch_deck.name

    with django_capture_on_commit_callbacks(execute=True):
        report = retention.purge_old_drafts()

    assert (report.drafts, report.decks) == (1, 1)
    remaining = set(Application.objects.values_list("pk", flat=True))
    assert remaining == {old_submitted.pk, old_withdrawn.pk, recent_draft.pk, open_draft.pk}
    assert not storage.exists(old_file) and storage.exists(recent_draft.pitch_deck.name)
    # A second run finds nothing more.
    assert retention.purge_old_drafts().drafts == 0


def test_retention_period_is_a_setting(calls, settings):
    draft_with_deck(calls["old"])
    draft_with_deck(calls["recent"])
    settings.DRAFT_RETENTION_MONTHS = 12
    assert retention.purge_old_drafts().drafts == 0
    settings.DRAFT_RETENTION_MONTHS = 3
    assert retention.purge_old_drafts().drafts == 2


def test_calendar_months_are_counted_from_the_deadline():
    now = dt.datetime(2026, 8, 31, 12, tzinfo=dt.UTC)
    assert retention.drafts_cutoff(now, 6) == dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC)


def test_old_login_records_go_recent_ones_stay(settings):
    settings.LOGIN_LOG_RETENTION_DAYS = 30
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        extra = {"failures_since_start": 1} if model is AccessAttempt else {}
        old = model.objects.create(username="old@example.eu", ip_address="10.0.0.1", **extra)
        model.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - dt.timedelta(days=31))
        model.objects.create(username="new@example.eu", ip_address="10.0.0.2", **extra)
    report = retention.purge_old_drafts()
    assert report.login_records == 3
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        assert list(model.objects.values_list("username", flat=True)) == ["new@example.eu"]


def test_command_reports_and_dry_run_deletes_nothing(calls):
    draft_with_deck(calls["old"])
    out = io.StringIO()
    call_command("purge_old_drafts", "--dry-run", stdout=out)
    assert "Would delete 1 draft application(s) with 1 pitch deck(s)" in out.getvalue()
    assert Application.objects.count() == 1
    out = io.StringIO()
    call_command("purge_old_drafts", "--months", "7", stdout=out)
    assert "Deleted 0 draft application(s)" in out.getvalue()
    out = io.StringIO()
    call_command("purge_old_drafts", stdout=out)
    assert "Deleted 1 draft application(s) with 1 pitch deck(s)" in out.getvalue()
    assert Application.objects.count() == 0


def test_the_beat_schedule_runs_the_task_daily(calls):
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-purge-old-drafts"]
    assert entry["task"] == "privacy.tasks.purge_old_drafts" and entry["schedule"] == 24 * 3600
    draft_with_deck(calls["old"])
    assert tasks.purge_old_drafts.delay().get() == {"drafts": 1, "decks": 1, "login_records": 0}
    assert tasks.purge_old_drafts.delay().get()["drafts"] == 0


def test_privacy_notice_says_what_is_kept_where_and_how_long(client, settings):
    settings.DRAFT_RETENTION_MONTHS = 9
    html = client.get(reverse("accounts:privacy")).content.decode()
    assert "Scaleway" in html and "Paris region" in html and "PostgreSQL" in html
    assert "Deleted 9 months after the call closes." in html
    assert "Kept for audit" in html
    assert reverse("privacy:data") in html
    client.cookies["django_language"] = "fr"
    html = client.get(reverse("accounts:privacy"), headers={"accept-language": "fr"}).content.decode()
    assert "Supprimés 9 mois après la clôture de l’appel." in html
