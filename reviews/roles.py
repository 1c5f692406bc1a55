"""The permissions behind the two staff roles (group names live in accounts.roles).

Used by the data migration that creates the groups and by a post_migrate hook that grants
organisers the permissions of models added later, so the role stays defined in one place.
Permissions are only ever added here, never removed.
"""

from django.apps import apps as global_apps

from accounts.roles import ORGANISERS, REVIEWERS

# Organisers see and run everything of the calls: every permission of these apps...
ORGANISER_APPS = ("calls", "applications", "reviews", "interviews", "cohorts")
# ...plus reading accounts, the outbox and the record of erased accounts (the controller's audit
# trail). Creating staff accounts stays with superusers; organisers turn an existing account into a
# reviewer by giving it a reviewer profile.
ORGANISER_EXTRA = (("accounts", "view_user"), ("mail", "view_outboxmessage"), ("privacy", "view_erasurerecord"))
# Reviewers get their own review pages and nothing else.
REVIEWER_PERMISSIONS = (("reviews", "view_myreview"), ("reviews", "change_myreview"))


def sync_role_groups(apps, using="default", app_labels=None):
    """Create both groups if missing and add their permissions (those that exist yet)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    organisers, _ = Group.objects.using(using).get_or_create(name=ORGANISERS)
    reviewers, _ = Group.objects.using(using).get_or_create(name=REVIEWERS)

    permissions = Permission.objects.using(using)
    organiser_apps = [a for a in ORGANISER_APPS if app_labels is None or a in app_labels]
    organisers.permissions.add(*permissions.filter(content_type__app_label__in=organiser_apps))
    for label, codename in ORGANISER_EXTRA:
        organisers.permissions.add(*permissions.filter(content_type__app_label=label, codename=codename))
    for label, codename in REVIEWER_PERMISSIONS:
        reviewers.permissions.add(*permissions.filter(content_type__app_label=label, codename=codename))


def on_post_migrate(sender, app_config=None, using="default", apps=global_apps, **kwargs):
    # Sent once per app, after auth has created that app's permissions. `manage.py flush` (and so
    # every transactional test) sends it without `apps`: the installed apps then, as auth assumes.
    if app_config is None:
        return
    try:
        apps.get_model("auth", "Permission")
    except LookupError:
        return
    sync_role_groups(apps, using=using, app_labels={app_config.label})
