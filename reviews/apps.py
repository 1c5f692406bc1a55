from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self):
        from applications import access
        from reviews.roles import on_post_migrate
        from reviews.selectors import assigned_without_conflict

        # Reviewers read the applications they are assigned to: part of applications' access rule.
        access.add_reader_rule(assigned_without_conflict)

        post_migrate.connect(on_post_migrate, dispatch_uid="reviews_sync_role_groups")

        from ops.metrics import register_gauges
        from reviews.metrics import review_gauges

        register_gauges(review_gauges)
