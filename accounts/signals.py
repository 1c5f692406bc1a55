"""A saved or deleted user is read from the database again (accounts.user_cache)."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts import user_cache


@receiver([post_save, post_delete], sender=settings.AUTH_USER_MODEL)
def user_saved(sender, instance, **kwargs):
    user_cache.user_changed(instance)
