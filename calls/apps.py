from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("Calls")

    def ready(self):
        from accelerator import pagecache
        from calls import caching, signals  # noqa: F401 - connects the cache invalidation

        pagecache.read_ahead("/", caching.keys_to_read_ahead)
