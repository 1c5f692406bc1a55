"""An offer shows on its application's page: saving or deleting one renews that page's cache."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from applications import caching
from cohorts.models import Offer


@receiver([post_save, post_delete], sender=Offer)
def offer_saved(sender, instance, **kwargs):
    caching.application_changed(instance.application_id)
