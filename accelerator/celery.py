import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings")

app = Celery("accelerator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs):
    # kombu's filesystem transport does not create its folders itself.
    from django.conf import settings

    if not settings.REDIS_URL:
        for key in ("data_folder_in", "processed_folder"):
            os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)
