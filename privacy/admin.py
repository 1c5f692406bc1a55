from django.contrib import admin

from accounts.admin_access import ReadOnlyAdminMixin
from privacy.models import ErasureRecord


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the record of erasures is written by the portal, never edited."""

    list_display = ("erased_at", "user_id", "deleted_applications", "anonymised_applications")
    date_hierarchy = "erased_at"
    readonly_fields = ("user", "erased_at", "deleted_applications", "anonymised_applications")
