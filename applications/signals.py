"""Marks an application page's cache generation as changing when something it shows changes that
the page's row version (applications.selectors.founder_page_version, read on every request) does
not cover.

Saving the application itself needs no signal: its version, status and last save are in the row
version, and a status change always saves the application (applications.services.change_status).
That keeps bulk work (locking a shortlist of 100,000 applications) free of cache writes.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from applications import caching
from applications.models import Invitation, Membership, TeamMember


@receiver([post_save, post_delete], sender=TeamMember)
@receiver([post_save, post_delete], sender=Membership)
@receiver([post_save, post_delete], sender=Invitation)
def part_saved(sender, instance, **kwargs):
    caching.application_changed(instance.application_id)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def person_saved(sender, instance, update_fields=None, **kwargs):
    caching.person_changed(instance, update_fields)
