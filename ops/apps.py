from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """What operators need and no app knows about: file storage, metrics, logs, backups."""

    name = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from ops import metrics

        metrics.install()
