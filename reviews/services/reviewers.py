"""Turning an account into a reviewer (and back)."""

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.roles import REVIEWERS
from reviews import domains
from reviews.models import ReviewerProfile


def save_reviewer_profile(profile: ReviewerProfile) -> ReviewerProfile:
    """Save the profile and give its user the reviewer role: staff, in the Reviewers group."""
    profile.email_domains = sorted({d for d in map(domains.normalise, profile.email_domains or []) if d})
    with transaction.atomic():
        profile.save()
        user = profile.user
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        group, _ = Group.objects.get_or_create(name=REVIEWERS)
        user.groups.add(group)
        user.__dict__.pop("_group_names", None)
    return profile


def remove_reviewer(profile: ReviewerProfile) -> None:
    """Delete the profile and take the user out of the Reviewers group; their past work stays."""
    with transaction.atomic():
        user = profile.user
        profile.delete()
        user.groups.remove(*Group.objects.filter(name=REVIEWERS))
        user.__dict__.pop("_group_names", None)  # accounts.roles caches the groups on the user
