from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_access import OrganiserReadOnlyAdminMixin, organiser_admin_view
from mail import kind_names, templating
from mail.models import MailTemplate, OutboxMessage, OutboxStatus
from mail.services import enqueue_delivery


class KindFilter(admin.SimpleListFilter):
    """E-mail kinds by their title, not their code name."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = set(templating.discover_kinds()) | set(kind_names.NAMES)
        return sorted(((kind, kind_names.title(kind)) for kind in kinds), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.display(description=_("kind"), ordering="kind")
def kind_title(obj):
    return kind_names.title(obj.kind)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", kind_title, "to", "language", "status", "attempts", "sent_at")
    list_filter = ("status", KindFilter, "language")
    search_fields = ("to", "subject", "dedupe_key")
    # Attachments by name: a calendar file's text would fill the page.
    readonly_fields = [f.name for f in OutboxMessage._meta.fields if f.name != "attachments"] + ["attachment_names"]
    actions = ["retry_now"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("attachments"))
    def attachment_names(self, obj):
        return ", ".join(item.get("filename", "") for item in obj.attachments or []) or "—"

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


# E-mail texts per call ------------------------------------------------------------------------


@admin.register(MailTemplate)
class MailTemplateAdmin(OrganiserReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("call", kind_title, "language", "subject", "updated_at", "updated_by")
    list_filter = ("call", KindFilter, "language")
    list_select_related = ("call", "updated_by")
    change_list_template = "admin/mail/mailtemplate/change_list.html"

    def changelist_view(self, request, extra_context=None):
        calls = MailTemplate._meta.get_field("call").related_model.objects
        extra = {"calls": calls.order_by("-closes_at")[:20], **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = get_object_or_404(MailTemplate, pk=object_id)
        return redirect("admin:mail_mailtemplate_edit", call_id=obj.call_id, kind=obj.kind, language=obj.language)

    def get_urls(self):
        from mail import views_admin

        return [
            path("call/<int:call_id>/", organiser_admin_view(views_admin.overview), name="mail_mailtemplate_call"),
            path(
                "call/<int:call_id>/<slug:kind>/<slug:language>/",
                organiser_admin_view(views_admin.edit),
                name="mail_mailtemplate_edit",
            ),
            path(
                "call/<int:call_id>/<slug:kind>/<slug:language>/reset/",
                organiser_admin_view(views_admin.reset),
                name="mail_mailtemplate_reset",
            ),
            *super().get_urls(),
        ]
