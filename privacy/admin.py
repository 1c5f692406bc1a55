from django.contrib import admin

from privacy.models import ErasureRecord


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """Read-only: the record of erasures is written by the portal, never edited."""

    list_display = ("erased_at", "user_id", "deleted_applications", "anonymised_applications")
    date_hierarchy = "erased_at"
    readonly_fields = ("user", "erased_at", "deleted_applications", "anonymised_applications")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
