from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self):
        from applications.selectors import mail_preview_examples
        from mail import previews

        # The e-mail text editor previews each text with one of the call's applications.
        previews.register_examples(mail_preview_examples)

        from applications.metrics import application_gauges
        from ops.metrics import register_gauges

        register_gauges(application_gauges)
