from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mail.models import OutboxMessage, OutboxStatus
from mail.services import enqueue_delivery


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "to", "language", "status", "attempts", "sent_at")
    list_filter = ("status", "kind", "language")
    search_fields = ("to", "subject", "dedupe_key")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry_now"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry selected e-mails now"))
    def retry_now(self, request, queryset):
        retried = 0
        for message in queryset.exclude(status=OutboxStatus.SENT):
            message.status = OutboxStatus.PENDING
            message.next_attempt_at = timezone.now()
            message.save(update_fields=["status", "next_attempt_at"])
            enqueue_delivery(message.pk)
            retried += 1
        self.message_user(
            request,
            ngettext("%(n)d e-mail queued again.", "%(n)d e-mails queued again.", retried) % {"n": retried},
            messages.SUCCESS,
        )
