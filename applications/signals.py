"""Marks an application page's cache generation as changing when something it shows changes
(applications.caching). Updates of many rows at once mark through the models' querysets instead.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from applications import caching
from applications.models import Application, Invitation, Membership, StatusChange, TeamMember


@receiver([post_save, post_delete], sender=Application)
def application_saved(sender, instance, **kwargs):
    caching.application_changed(instance.pk)


@receiver([post_save, post_delete], sender=StatusChange)
@receiver([post_save, post_delete], sender=TeamMember)
@receiver([post_save, post_delete], sender=Membership)
@receiver([post_save, post_delete], sender=Invitation)
def part_saved(sender, instance, **kwargs):
    caching.application_changed(instance.application_id)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def person_saved(sender, instance, update_fields=None, **kwargs):
    caching.person_changed(instance, update_fields)
