from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "mail"
    verbose_name = _("E-mail outbox")

    def ready(self):
        from accounts import adapter
        from mail.services import queue_mail

        # Sign-up, verification and password e-mails (allauth) go through the outbox too.
        adapter.register_mail_queue(queue_mail)

        from mail.metrics import outbox_gauges
        from ops.metrics import register_gauges

        register_gauges(outbox_gauges)
