from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self):
        from interviews import mail as interview_mail
        from interviews.booking import mail as booking_mail

        # The e-mail text editor documents and previews the invitation's and the booking e-mails'
        # own placeholders.
        interview_mail.register()
        booking_mail.register()

        from applications import access
        from interviews import signals
        from interviews.panel import reads_as_panel

        # A panel member reads the applications of the interviews they score (their deck too):
        # part of applications' one access rule, as reviews adds its reviewers.
        access.add_reader_rule(reads_as_panel)
        signals.connect()
