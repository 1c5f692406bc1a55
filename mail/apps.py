from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "mail"
    verbose_name = _("E-mail outbox")

    def ready(self):
        from mail.metrics import outbox_gauges
        from ops.metrics import register_gauges

        register_gauges(outbox_gauges)
