from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        # The e-mail text editor documents and previews the reminders' own placeholders.
        from reminders import interview_mails, mails

        mails.register()
        interview_mails.register()

        from ops.metrics import register_gauges
        from reminders.metrics import sweep_gauges

        register_gauges(sweep_gauges)
