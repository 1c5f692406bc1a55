import time

from celery import shared_task

from reminders import services
from reminders.sweep import run_sweep


# Idempotent (the ledger refuses a second copy), so a redelivered sweep is harmless. The first
# reminder to a very large call takes longer than an ordinary task, hence its own time limits.
@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def sweep() -> dict:
    start = time.monotonic()
    report = run_sweep().as_dict()  # raises when a step failed: that sweep is not "completed"
    services.record_sweep(duration_seconds=time.monotonic() - start)
    return report
