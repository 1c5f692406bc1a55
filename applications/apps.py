from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self):
        from applications.metrics import application_gauges
        from ops.metrics import register_gauges

        register_gauges(application_gauges)
