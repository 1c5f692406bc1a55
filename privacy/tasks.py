from celery import shared_task

from privacy import retention


# Idempotent: it deletes what is past retention at the time it runs; a rerun finds nothing more.
@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def purge_old_drafts() -> dict:
    report = retention.purge_old_drafts()
    return {"drafts": report.drafts, "decks": report.decks, "login_records": report.login_records}
