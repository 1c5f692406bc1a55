import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from reminders.models import Reminder
from reminders.schedule import clean_offsets, due_offset
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.reminders.conftest import CLOSES, hours_before

pytestmark = pytest.mark.django_db


def test_send_reminders_now_sends_and_lists(call, capsys, django_capture_on_commit_callbacks):
    ApplicationFactory(call=call, owner=UserFactory(email="farid@example.org", username="farid", language="fr"))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--now", hours_before(CLOSES, 40).isoformat())
    out = capsys.readouterr().out
    assert "farid@example.org" in out and "48 h before" in out
    assert "Rappel : votre candidature" in out
    assert "1 founder reminder(s)" in out
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--now", hours_before(CLOSES, 39).isoformat())
    assert "0 founder reminder(s)" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_naive_now_is_paris_time(call, capsys):
    ApplicationFactory(call=call)
    # 10 March 2031 21:00 in Paris is 2 h 59 before the 23:59 deadline: the 3 h reminder.
    call_command("send_reminders", "--now", "2031-03-10T21:00:00")
    assert "3 h before" in capsys.readouterr().out


def test_dry_run_sends_nothing(call, capsys):
    ApplicationFactory(call=call, owner=UserFactory(email="ada@example.org", username="ada"))
    call_command("send_reminders", "--now", hours_before(CLOSES, 2).isoformat(), "--dry-run")
    out = capsys.readouterr().out
    assert f"{call.slug}: 3 h reminder due to 1 founder(s)" in out
    assert "ada@example.org" in out and "nothing was sent" in out
    assert not Reminder.objects.exists()
    assert mail.outbox == []


def test_bad_now_is_a_clear_error(call):
    with pytest.raises(CommandError, match="ISO-8601"):
        call_command("send_reminders", "--now", "next tuesday")


def test_offsets_setting_is_read_defensively():
    assert clean_offsets([3, "48", 168, 168, -1, 0, "x", None, 2.5, True, 24.0]) == [168, 48, 24, 3]
    assert clean_offsets("168") == []
    assert due_offset([], CLOSES, hours_before(CLOSES, 1)) is None
    assert due_offset([48], CLOSES, hours_before(CLOSES, 48)) == 48
    assert due_offset([48], CLOSES, hours_before(CLOSES, 48.0001)) is None
