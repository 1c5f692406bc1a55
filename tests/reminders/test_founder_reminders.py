import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Status
from mail.models import OutboxMessage
from reminders import services
from reminders.models import Reminder, ReminderKind
from reminders.sweep import run_sweep
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory, TeamMemberFactory
from tests.reminders.conftest import CLOSES, hours_before

pytestmark = pytest.mark.django_db


def sweep(at, callbacks):
    """One sweep at `at`, with the e-mails it queues delivered as after a real commit."""
    with callbacks(execute=True):
        return services.send_founder_reminders(at)


def sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_draft_owner_gets_each_reminder_once_in_its_window(call, django_capture_on_commit_callbacks):
    draft = ApplicationFactory(call=call)
    owner = draft.owner
    # Before the first window (7 days): nothing.
    assert sweep(hours_before(CLOSES, 168) - dt.timedelta(microseconds=1), django_capture_on_commit_callbacks) == []
    # Exactly 7 days before: the first reminder; the sweeps that follow send nothing more.
    assert len(sweep(hours_before(CLOSES, 168), django_capture_on_commit_callbacks)) == 1
    assert sweep(hours_before(CLOSES, 100), django_capture_on_commit_callbacks) == []
    # Exactly 48 h and 3 h before: one each.
    assert len(sweep(hours_before(CLOSES, 48), django_capture_on_commit_callbacks)) == 1
    assert sweep(hours_before(CLOSES, 47), django_capture_on_commit_callbacks) == []
    assert sweep(hours_before(CLOSES, 3) - dt.timedelta(seconds=1), django_capture_on_commit_callbacks) == []
    assert len(sweep(hours_before(CLOSES, 3), django_capture_on_commit_callbacks)) == 1
    # At the deadline itself and after it: nothing.
    assert sweep(CLOSES, django_capture_on_commit_callbacks) == []
    assert len(sent_to(owner.email)) == 3
    assert sorted(Reminder.objects.values_list("offset_hours", flat=True)) == [3, 48, 168]


def test_submitted_application_gets_no_reminder(call, django_capture_on_commit_callbacks):
    ApplicationFactory(call=call, submitted=True)
    withdrawn = ApplicationFactory(call=call, status=Status.WITHDRAWN, submitted_at=CLOSES - dt.timedelta(days=3))
    assert sweep(hours_before(CLOSES, 48), django_capture_on_commit_callbacks) == []
    assert mail.outbox == []
    assert not Reminder.objects.filter(application=withdrawn).exists()


def test_late_start_gets_only_the_latest_overdue_reminder_then_the_next(call, django_capture_on_commit_callbacks):
    draft = ApplicationFactory(call=call)
    # Sweeps were stopped: at 30 h before the deadline both 168 h and 48 h are overdue.
    sent = sweep(hours_before(CLOSES, 30), django_capture_on_commit_callbacks)
    assert [r.offset_hours for r in sent] == [48]
    assert sweep(hours_before(CLOSES, 29), django_capture_on_commit_callbacks) == []
    assert [r.offset_hours for r in sweep(hours_before(CLOSES, 2), django_capture_on_commit_callbacks)] == [3]
    assert len(sent_to(draft.owner.email)) == 2


def test_extending_the_deadline_moves_reminders_still_ahead(call, django_capture_on_commit_callbacks):
    draft = ApplicationFactory(call=call)
    sweep(hours_before(CLOSES, 100), django_capture_on_commit_callbacks)  # the 7-day one
    call.closes_at = CLOSES + dt.timedelta(days=3)
    call.save()
    # The old 48 h moment is now 120 h before the deadline: nothing new is due.
    assert sweep(hours_before(CLOSES, 48), django_capture_on_commit_callbacks) == []
    [sent] = sweep(hours_before(call.closes_at, 48), django_capture_on_commit_callbacks)
    assert sent.offset_hours == 48
    assert Reminder.objects.get(pk=sent.pk).deadline == call.closes_at
    assert len(sent_to(draft.owner.email)) == 2


def test_reminder_lists_what_is_missing_and_the_paris_deadline(call, django_capture_on_commit_callbacks):
    draft = ApplicationFactory(call=call, owner=UserFactory(first_name="Ada", language="en"))
    TeamMemberFactory(application=draft)
    sweep(hours_before(CLOSES, 48), django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == "Reminder: your application to AI Startup Programme is not submitted yet"
    body = message.body
    assert "Hello Ada," in body
    assert "March 10, 2031, 11:59 p.m. (Paris time)" in body
    assert "That is in 2\xa0days." in body
    assert "- Product and AI: problem, solution" in body
    assert "- Pitch deck: pitch deck" in body
    assert "Team" not in body  # the team section is complete
    assert f"/applications/{draft.pk}/" in body  # straight to the application, where the answers go


def test_reminder_is_in_the_founders_language(call, django_capture_on_commit_callbacks):
    ApplicationFactory(call=call, owner=UserFactory(first_name="Farid", language="fr"))
    sweep(hours_before(CLOSES, 3), django_capture_on_commit_callbacks)
    [message] = mail.outbox
    stored = OutboxMessage.objects.get()
    assert stored.language == "fr"
    assert message.subject.startswith("Rappel")
    assert "Bonjour Farid," in message.body
    assert "10 mars 2031 23:59 (heure de Paris)" in message.body
    assert "Équipe" in message.body  # section titles and field names in French too
    assert "Hello" not in message.body


def test_crash_mid_sweep_then_rerun_sends_each_reminder_once(call, monkeypatch, django_capture_on_commit_callbacks):
    drafts = [ApplicationFactory(call=call) for _ in range(5)]
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    real_queue = services.queue_mails
    calls = {"n": 0}

    def crash_on_second_batch(mails):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real_queue(mails)

    monkeypatch.setattr(services, "queue_mails", crash_on_second_batch)
    with pytest.raises(RuntimeError):
        sweep(hours_before(CLOSES, 48), django_capture_on_commit_callbacks)
    # The first batch is committed with its e-mails; the second rolled back entirely.
    assert Reminder.objects.count() == 2
    monkeypatch.setattr(services, "queue_mails", real_queue)
    assert len(sweep(hours_before(CLOSES, 47), django_capture_on_commit_callbacks)) == 3
    assert sorted(len(sent_to(d.owner.email)) for d in drafts) == [1] * 5
    assert OutboxMessage.objects.count() == 5


def test_queries_are_bounded_per_batch(call, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 10)
    for _ in range(40):
        ApplicationFactory(call=call)
    with CaptureQueriesContext(connection) as queries:
        assert len(services.send_founder_reminders(hours_before(CLOSES, 48))) == 40
    # 4 batches of 9 queries; the calls, the ids with their ledger check, the e-mail text and a last
    # empty read once. A query per draft would be well over 40.
    assert len(queries) <= 4 * 9 + 5
    with CaptureQueriesContext(connection) as queries:
        assert services.send_founder_reminders(hours_before(CLOSES, 47)) == []
    # Nothing due: the ids of the drafts, checked against the ledger, and nothing else.
    assert len(queries) <= 4


def test_drafts_already_reminded_between_chunks_are_skipped(call, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    monkeypatch.setattr(services, "ID_CHUNK", 7)
    drafts = [ApplicationFactory(call=call) for _ in range(20)]
    first = {s.pk for s in services.send_founder_reminders(hours_before(CLOSES, 48))}
    assert len(first) == 20
    # Some drafts' reminders undone, as if their sweep had failed: only those are sent again.
    undone = drafts[2:4] + drafts[9:10] + drafts[19:]
    Reminder.objects.filter(application__in=undone).delete()
    again = services.send_founder_reminders(hours_before(CLOSES, 47))
    assert sorted(s.email for s in again) == sorted(d.owner.email for d in undone)
    assert Reminder.objects.filter(call=call).count() == 20


def test_ledger_rows_point_to_their_email(call, django_capture_on_commit_callbacks):
    draft = ApplicationFactory(call=call)
    [sent] = sweep(hours_before(CLOSES, 48), django_capture_on_commit_callbacks)
    reminder = Reminder.objects.get(pk=sent.pk)
    assert (sent.email, sent.subject) == (draft.owner.email, reminder.message.subject)
    assert reminder.kind == ReminderKind.FOUNDER_DEADLINE
    assert reminder.application == draft and reminder.recipient == draft.owner
    assert reminder.message.dedupe_key == f"reminder:{reminder.pk}"
    assert reminder.message.status == "sent"
    assert reminder.due_at == hours_before(CLOSES, 48)


def test_the_sweep_runs_every_job(call, django_capture_on_commit_callbacks):
    ApplicationFactory(call=call)
    with django_capture_on_commit_callbacks(execute=True):
        report = run_sweep(hours_before(CLOSES, 48))
    assert len(report.founder_reminders) == 1
    assert report.as_dict()["founder_reminders"] == 1
    assert report.failed_steps == []
