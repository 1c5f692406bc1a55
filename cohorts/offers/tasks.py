from celery import shared_task

from cohorts.offers import services


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def send_decision_emails(call_id: int, by_id: int | None = None) -> int:
    """Tell every unsuccessful applicant, in batches. Safe to retry: e-mails are keyed per application."""
    from accounts.models import User

    by = User.objects.filter(pk=by_id).first() if by_id else None
    total = 0
    while True:
        done = services.send_decisions_batch(call_id, by=by)
        total += done
        if not done:
            return total
