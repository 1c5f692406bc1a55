from django.contrib import admin

from applications.models import Application, StatusChange, TeamMember
from cohorts.admin_exports import APPLICATION_EXPORT_ACTIONS


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "changed_by", "changed_at", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("startup_name", "call", "status", "country", "submitted_at")
    list_filter = ("call", "status", "country")
    search_fields = ("startup_name",)
    list_select_related = ("call", "owner")
    raw_id_fields = ("owner",)
    inlines = [TeamMemberInline, StatusChangeInline]
    actions = [*APPLICATION_EXPORT_ACTIONS]
