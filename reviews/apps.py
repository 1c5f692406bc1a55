from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self):
        from reviews.roles import on_post_migrate

        post_migrate.connect(on_post_migrate, dispatch_uid="reviews_sync_role_groups")

        from ops.metrics import register_gauges
        from reviews.metrics import review_gauges

        register_gauges(review_gauges)
