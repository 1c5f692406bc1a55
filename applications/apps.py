from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self):
        from accelerator import pagecache
        from applications import caching, signals  # noqa: F401 - connects the page cache's invalidation

        pagecache.read_ahead(caching.PAGE_PATH, caching.keys_to_read_ahead)

        from applications.metrics import application_gauges
        from ops.metrics import register_gauges

        register_gauges(application_gauges)
