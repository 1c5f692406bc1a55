"""A higher app adds its actions to the admin of a lower app's model, so that the lower app never
imports it (reviews and cohorts on the call and application admins)."""

from django.contrib import admin


def extend_admin(model, *actions) -> None:
    """Add actions to the admin of a model registered by another app (once, after its own)."""
    model_admin = admin.site.get_model_admin(model)
    present = list(model_admin.actions or [])
    model_admin.actions = [*present, *(a for a in actions if a not in present)]
