from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from applications.access import readable_applications
from applications.models import Application, Invitation, Membership, StatusChange, TeamMember
from calls.i18n import text_columns
from core.admin_dates import with_cheap_date_hierarchy
from core.admin_paging import CappedCountAdmin

# Web addresses typed without a scheme are https, as on the founders' form.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    formfield_overrides = HTTPS_URLS


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "changed_by", "changed_at", "note")

    def has_add_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "joined_at")
    readonly_fields = ("user", "joined_at")
    verbose_name_plural = _("co-founders with access")

    def has_add_permission(self, request, obj=None):
        return False


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ("email", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(CappedCountAdmin, admin.ModelAdmin):
    list_display = ("startup_name", "call", "status", "country_name", "submitted_at", "owner_email", "deck_link")
    list_filter = ("call", "status", "country")
    search_fields = ("startup_name",)
    list_select_related = ("call", "owner")
    # The list's pages load these columns only: the long answers stay in the database.
    list_only = (
        *("startup_name", "status", "country", "submitted_at", "pitch_deck", "owner__email"),
        *text_columns("title", "call__"),
    )
    # Served by the application_call_updated index (a call's page is read in order, not sorted).
    ordering = ("-updated_at", "-pk")
    date_hierarchy = "submitted_at"
    raw_id_fields = ("owner",)
    readonly_fields = ("version", "created_at", "updated_at", "deck_link", "pitch_deck_name", "pitch_deck_uploaded_at")
    exclude = ("pitch_deck",)
    inlines = [TeamMemberInline, MembershipInline, InvitationInline, StatusChangeInline]
    formfield_overrides = HTTPS_URLS

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Its assignments, reviews (Review.call) and the reviewers' figures belong to the call: an
        # application under review stays in it.
        if obj is not None and obj.assignments.exists():
            return (*fields, "call")
        return fields

    def get_queryset(self, request):
        # The date hierarchy's months and days come from index probes, not from every row.
        applications = with_cheap_date_hierarchy(super().get_queryset(request))
        if not self.has_view_or_change_permission(request):
            return applications  # refused by the admin's own check (403) before anything is read
        # Who reads which application is decided in one place; organisers read them all.
        return readable_applications(request.user, applications)

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, obj):
        # Not the field itself: the admin would look each row's value up in a freshly built and
        # sorted list of the world's 250 countries (django-countries' choices), 2 ms a row.
        return obj.country.name or None

    @admin.display(description=_("owner"), ordering="owner__email")
    def owner_email(self, obj):
        return obj.owner.email

    @admin.display(description=_("pitch deck"))
    def deck_link(self, obj):
        # Through the permission-checked download view: decks have no public URL.
        if not obj.pk or not obj.pitch_deck:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("applications:deck", kwargs={"pk": obj.pk}), _("Download PDF")
        )
