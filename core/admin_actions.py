"""A higher app adds its actions to the admin of a lower app's model, so that the lower app never
imports it (reviews and cohorts on the call and application admins)."""

from django.contrib import admin


def extend_admin(model, *actions) -> None:
    """Add actions to the admin of a model registered by another app (once, after its own)."""
    model_admin = admin.site.get_model_admin(model)
    present = list(model_admin.actions or [])
    model_admin.actions = [*present, *(a for a in actions if a not in present)]


def extend_admin_urls(model, urls) -> None:
    """Add URLs (a function taking the model's admin and returning paths) before a model admin's own,
    from an app above the one that registered it."""
    model_admin = admin.site.get_model_admin(model)
    own = model_admin.get_urls

    def get_urls():
        return [*urls(model_admin), *own()]

    model_admin.get_urls = get_urls


def extend_list_display(model, *columns) -> None:
    """Add columns (functions decorated with admin.display) to the change list of another app's model."""
    model_admin = admin.site.get_model_admin(model)
    present = list(model_admin.list_display)
    model_admin.list_display = (*present, *(c for c in columns if c not in present))
