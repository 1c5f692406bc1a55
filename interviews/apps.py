from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self):
        # The e-mail text editor documents and previews the booking e-mails' own placeholders.
        from interviews.booking import mail as booking_mail

        booking_mail.register()
