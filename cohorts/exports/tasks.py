from celery import shared_task

from cohorts.exports import services


@shared_task(acks_late=True, soft_time_limit=3600, time_limit=3700)
def build_export(job_id: int) -> bool:
    # Safe to run twice: a finished job is skipped, an interrupted one is rebuilt from scratch.
    return services.build_job(job_id)
