import pytest
from django.conf import settings

from accelerator.celery import app
from cohorts.shortlist import services as shortlist_services
from reminders import sweep as sweep_module
from reminders.models import Reminder
from reminders.sweep import SweepFailed, run_sweep
from reminders.tasks import sweep
from tests.factories.applications import ApplicationFactory
from tests.reminders.conftest import CLOSES, hours_before

pytestmark = pytest.mark.django_db


def test_beat_schedule_is_one_registered_sweep_that_cannot_pile_up():
    # Besides the sweep, only the daily retention purge (privacy app) is scheduled.
    others = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()} - {sweep.name}
    assert others == {"privacy.tasks.purge_old_drafts"}
    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == sweep.name]
    assert all(e["options"]["expires"] < e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values())
    assert sweep.name in app.tasks
    assert entry["schedule"] <= 600  # "every few minutes"
    assert entry["options"]["expires"] < entry["schedule"]  # a missed sweep is dropped, not queued up
    assert sweep.acks_late and sweep.soft_time_limit < sweep.time_limit


def test_a_failing_step_does_not_stop_the_others(call, monkeypatch):
    ApplicationFactory(call=call)

    def broken(now, sweep_id=None):
        raise RuntimeError("reviewers table locked")

    monkeypatch.setattr(sweep_module.services, "send_reviewer_reminders", broken)
    with pytest.raises(SweepFailed) as failed:
        run_sweep(hours_before(CLOSES, 48))
    assert failed.value.report.failed_steps == ["reviewers"]
    assert len(failed.value.report.founder_reminders) == 1


def test_the_task_returns_a_json_summary(call):
    result = sweep.apply().get()
    assert set(result) == {
        "now",
        "founder_reminders",
        "reviewer_reminders",
        "interview_reminders",
        "shortlists",
        "resent",
        "expired_offers",
        "failed_steps",
    }


def test_beat_sweep_records_its_completion_and_a_failed_one_does_not(call, monkeypatch):
    from reminders.models import SweepRecord
    from reminders.selectors import last_sweep_completed_at

    assert last_sweep_completed_at() is None
    sweep.apply().get()
    first = last_sweep_completed_at()
    assert first is not None and SweepRecord.objects.count() == 1

    def broken(now, sweep_id=None):
        raise RuntimeError("reviewers table locked")

    monkeypatch.setattr(sweep_module.services, "send_reviewer_reminders", broken)
    with pytest.raises(SweepFailed):
        sweep.apply().get()
    assert last_sweep_completed_at() == first


def test_out_of_time_stops_the_sweep_and_keeps_what_was_sent(call, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    ApplicationFactory(call=call)
    reached = []

    def out_of_time(now, sweep_id=None):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(sweep_module.services, "send_reviewer_reminders", out_of_time)
    monkeypatch.setattr(shortlist_services, "run_due_shortlists", lambda now: reached.append(now) or [])
    with pytest.raises(SoftTimeLimitExceeded):
        run_sweep(hours_before(CLOSES, 48))
    assert reached == []  # the steps after it did not start
    assert Reminder.objects.count() == 1  # the founders' batch committed before stays
