"""The Celery app. Configuration is in settings (CELERY_*); the rules every task follows:

- arguments are ids (JSON only), and the task re-reads the database: a task may run late,
  twice, or after the row changed;
- tasks are enqueued after commit (`delay_on_commit`, `transaction.on_commit`), so a worker
  never looks for a row that is not committed yet and a rolled-back change enqueues nothing;
- `acks_late` only on tasks that are idempotent (a redelivered copy does no harm);
- no long ETA/countdown: periodic work is one beat-triggered sweep (reminders.tasks.sweep)
  that derives what is due from the clock and the database.
"""

import os

from celery import Celery
from celery.signals import heartbeat_sent

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings")

app = Celery("accelerator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs):
    # kombu's filesystem transport does not create its folders itself.
    from django.conf import settings

    if not settings.REDIS_URL:
        for key in ("data_folder_in", "processed_folder", "control_folder"):
            os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)


@heartbeat_sent.connect
def _heartbeat(sender=None, **kwargs):
    # /healthz reports a deployment whose workers are all gone (accelerator.health.check_worker).
    from accelerator.health import record_worker_heartbeat

    record_worker_heartbeat()
