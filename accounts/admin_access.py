"""Who may open which admin pages: organiser-only pages, and records nobody edits by hand."""

from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from accounts.roles import is_organiser


def organiser_admin_view(view):
    """The admin's login check, then the Organisers role."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not is_organiser(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return admin.site.admin_view(checked)


class ReadOnlyAdminMixin:
    """Records the portal writes itself: the admin shows them, nobody adds, edits or deletes them there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrganiserAccessMixin:
    """Only organisers see these models in the admin, whatever their model permissions."""

    def has_module_permission(self, request):
        return is_organiser(request.user)

    def has_view_permission(self, request, obj=None):
        return is_organiser(request.user)


class OrganiserReadOnlyAdminMixin(OrganiserAccessMixin, ReadOnlyAdminMixin):
    """Organisers read these records; nobody changes them in the admin."""
