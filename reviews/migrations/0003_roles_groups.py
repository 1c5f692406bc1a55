"""Create the Organisers and Reviewers groups with their permissions.

Permissions are normally created after all migrations (post_migrate); they are created here
first so that a fresh database gets complete groups from this migration alone.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from reviews.roles import sync_role_groups


def create_groups(apps, schema_editor):
    using = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = None
    sync_role_groups(apps, using=using)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_review_history_and_admin_pages"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0001_initial"),
        ("calls", "0001_initial"),
        ("applications", "0001_initial"),
        ("cohorts", "0001_initial"),
        ("mail", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
