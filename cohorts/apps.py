from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts")

    def ready(self):
        # Celery finds only <app>.tasks by itself; the admin only <app>.admin. These modules are
        # named for what they hold, so they are imported here. `signals` marks shortlist runs stale
        # when the rubric's weights change.
        from cohorts import admin_exports, admin_offers, signals  # noqa: F401
        from cohorts.exports import tasks as export_tasks  # noqa: F401
        from cohorts.offers import services as offer_services
        from cohorts.offers import tasks as offer_tasks  # noqa: F401
        from cohorts.shortlist import mail as shortlist_mail
        from mail import previews

        # The e-mail text editor documents and previews the shortlist e-mail's own placeholders.
        shortlist_mail.register()
        # Offer e-mails are previewed with the application's offer (or an example of one).
        previews.register_context(offer_services.mail_preview_context)
