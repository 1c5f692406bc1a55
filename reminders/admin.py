from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_access import ReadOnlyAdminMixin
from accounts.roles import is_organiser
from calls.models import Call
from cohorts.admin_cockpit import add_step_link
from core.admin_actions import extend_admin_urls
from mail.services import retry_now
from reminders import admin_nudge
from reminders.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The ledger of reminders, read-only: what was queued, to whom, and whether it left."""

    list_display = (
        "created_at",
        "kind",
        "call",
        "recipient",
        "recipient_email",
        "application",
        "offset_hours",
        "deadline",
        "delivery",
        "attempts",
    )
    list_filter = ("kind", "call", "offset_hours", "message__status")
    search_fields = ("recipient__email", "application__startup_name")
    list_select_related = ("call", "recipient", "application", "message")
    readonly_fields = (
        "kind",
        "call",
        "application",
        "recipient",
        "offset_hours",
        "deadline",
        "due_at",
        "created_at",
        "message",
        "delivery",
        "attempts",
        "last_error",
    )
    fields = readonly_fields
    actions = ["retry_email"]
    show_full_result_count = False
    date_hierarchy = "created_at"

    def has_module_permission(self, request):
        return is_organiser(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_organiser(request.user) or super().has_view_permission(request, obj)

    @admin.display(description=_("e-mail address"), ordering="recipient__email")
    def recipient_email(self, obj):
        return obj.recipient.email

    @admin.display(description=_("e-mail"), ordering="message__status")
    def delivery(self, obj):
        return obj.message.get_status_display() if obj.message else _("not queued")

    @admin.display(description=_("attempts"))
    def attempts(self, obj):
        return obj.message.attempts if obj.message else 0

    @admin.display(description=_("last error"))
    def last_error(self, obj):
        return obj.message.last_error if obj.message else ""

    @admin.action(description=_("Retry the e-mail of the selected reminders now"))
    def retry_email(self, request, queryset):
        if not is_organiser(request.user):
            self.message_user(request, _("Only organisers may retry e-mails."), messages.ERROR)
            return
        count = retry_now(queryset.exclude(message=None).values_list("message_id", flat=True))
        self.message_user(
            request,
            ngettext("%(n)d e-mail queued again.", "%(n)d e-mails queued again.", count) % {"n": count},
            messages.SUCCESS,
        )


# The cockpit's "remind" step (reminders.admin_nudge), on the call admin and the cockpit.
extend_admin_urls(Call, admin_nudge.remind_urls)
add_step_link("follow", admin_nudge.REMIND_LABEL, admin_nudge.remind_link)
