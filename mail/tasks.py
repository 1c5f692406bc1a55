from celery import shared_task

from mail import services


@shared_task(acks_late=True)
def deliver(message_id: int) -> bool:
    # Idempotent: a sent message is never sent again, so a redelivered task is harmless.
    return services.deliver(message_id)


@shared_task
def resend_pending() -> int:
    """Sweep: re-enqueue pending mail whose task was lost (broker down, queue flushed)."""
    ids = services.due_message_ids()
    for message_id in ids:
        deliver.delay(message_id)
    return len(ids)
