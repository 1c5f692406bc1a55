"""Any saved or deleted call, partner or criterion renews the public calls' generation."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from calls import caching
from calls.models import Call, Criterion, Partner


@receiver([post_save, post_delete], sender=Call)
@receiver([post_save, post_delete], sender=Partner)
@receiver([post_save, post_delete], sender=Criterion)
def public_calls_changed(sender, **kwargs):
    caching.public_calls_changed()
