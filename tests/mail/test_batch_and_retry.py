import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from mail import services
from mail.models import OutboxMessage, OutboxStatus
from tests.factories.mail import OutboxMessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_render(monkeypatch):
    monkeypatch.setattr(services, "render_mail", lambda kind, ctx, lang: (f"{kind} [{lang}]", f"Hi {ctx['name']}\n"))


def test_queue_mails_renders_each_in_its_language_and_sends_after_commit(
    plain_render, django_capture_on_commit_callbacks
):
    batch = [
        {"kind": "hello", "to": "a@example.com", "context": {"name": "A"}, "language": "fr", "dedupe_key": "k-a"},
        {"kind": "hello", "to": "b@example.com", "context": {"name": "B"}, "dedupe_key": "k-b"},
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = services.queue_mails(batch)
    assert set(queued) == {"k-a", "k-b"}
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("a@example.com", "hello [fr]"),
        ("b@example.com", "hello [en]"),
    ]


def test_queue_mails_skips_keys_already_queued(plain_render, django_capture_on_commit_callbacks):
    first = OutboxMessageFactory(dedupe_key="k-a", status=OutboxStatus.SENT, sent_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.queue_mails(
            [{"kind": "hello", "to": "a@example.com", "context": {"name": "A"}, "dedupe_key": "k-a"}]
        )
    assert queued["k-a"].pk == first.pk
    assert mail.outbox == [] and OutboxMessage.objects.count() == 1


def test_queue_mails_needs_dedupe_keys(plain_render):
    with pytest.raises(ValueError, match="dedupe_key"):
        services.queue_mails([{"kind": "hello", "to": "a@example.com", "context": {"name": "A"}}])


def test_retry_countdown_follows_the_outbox_schedule():
    soon = OutboxMessageFactory(next_attempt_at=timezone.now() + dt.timedelta(seconds=90))
    later = OutboxMessageFactory(next_attempt_at=timezone.now() + dt.timedelta(hours=2))
    sent = OutboxMessageFactory(status=OutboxStatus.SENT, sent_at=timezone.now())
    assert 80 < services.retry_countdown(soon.pk, longest=600) <= 90
    assert services.retry_countdown(later.pk, longest=600) is None  # left to the periodic sweep
    assert services.retry_countdown(sent.pk, longest=600) is None


def test_sweep_grace_leaves_fresh_messages_to_their_task():
    fresh = OutboxMessageFactory(next_attempt_at=timezone.now() - dt.timedelta(minutes=2))
    stale = OutboxMessageFactory(next_attempt_at=timezone.now() - dt.timedelta(minutes=6))
    assert services.due_message_ids(grace=dt.timedelta(minutes=5)) == [stale.pk]
    assert set(services.due_message_ids()) == {fresh.pk, stale.pk}
