"""Django's admin app with the portal's site (accelerator.admin_site); imports no model."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "accelerator.admin_site.PortalAdminSite"
