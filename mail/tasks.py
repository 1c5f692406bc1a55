from datetime import timedelta

from celery import shared_task

from mail import services

# Waits up to this long are retried by the task itself; longer ones by the periodic sweep.
LONGEST_TASK_RETRY = 600


@shared_task(bind=True, acks_late=True, max_retries=5)
def deliver(self, message_id: int) -> bool:
    """Send one outbox e-mail. Idempotent: a sent message is never sent again.

    On a transport error the outbox row records it and schedules the next attempt with
    exponential backoff and jitter (services.retry_delay); the task retries at that time
    while the wait is short. The pending row stays the source of truth: if this task is lost,
    the sweep (resend_pending) delivers it.
    """
    sent = services.deliver(message_id)
    if not sent and not self.request.is_eager:
        countdown = services.retry_countdown(message_id, longest=LONGEST_TASK_RETRY)
        if countdown is not None and self.request.retries < self.max_retries:
            raise self.retry(countdown=countdown)
    return sent


@shared_task(acks_late=True)
def resend_pending(grace_seconds: int = 60) -> int:
    """Sweep: re-enqueue pending mail whose task was lost (broker down, queue flushed)."""
    ids = services.due_message_ids(grace=timedelta(seconds=grace_seconds))
    for message_id in ids:
        deliver.delay(message_id)
    return len(ids)
