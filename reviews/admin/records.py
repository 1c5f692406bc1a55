"""Organiser pages over the review records: assignments, conflicts, reviews and their history, profiles.

Reviews and their history are read-only here: only the reviewer changes a review, through
services.save_review, which records every change.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin_access import ReadOnlyAdminMixin
from core.admin_paging import CappedCountAdmin
from reviews import selectors, services
from reviews.admin.actions import export_response, may_assign, may_export
from reviews.admin.filters import AssignmentCallFilter, CallFilter, ReviewCallFilter, WorkStateFilter
from reviews.domains import normalise
from reviews.forms import ConflictReasonForm, ExportForm, OrganiserConflictForm
from reviews.models import (
    Assignment,
    Conflict,
    ConflictSource,
    Organisation,
    Review,
    ReviewChange,
    ReviewChangeKind,
    ReviewerProfile,
    Score,
    WorkState,
)


def _score(value):
    return "—" if value is None else f"{value:.2f}"


class ReviewerFilter(admin.SimpleListFilter):
    title = gettext_lazy("reviewer")
    parameter_name = "reviewer"

    def lookups(self, request, model_admin):
        return [(str(u.pk), str(u)) for u in selectors.reviewers_queryset().order_by("first_name", "last_name")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(reviewer_id=self.value())
        return queryset


class OrganisationFilter(admin.SimpleListFilter):
    title = gettext_lazy("organisation")
    parameter_name = "organisation"
    path = "reviewer__reviewer_profile__organisation"

    def lookups(self, request, model_admin):
        return Organisation.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.path: self.value()})
        return queryset


class ReviewOrganisationFilter(OrganisationFilter):
    path = "assignment__reviewer__reviewer_profile__organisation"


@admin.action(description=gettext_lazy("Release: conflict of interest…"))
def release_for_conflict(modeladmin, request, queryset):
    if not may_assign(request.user):
        raise PermissionDenied
    form = ConflictReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        count = 0
        for assignment in queryset.select_related("reviewer", "application"):
            services.declare_conflict(
                reviewer=assignment.reviewer,
                application=assignment.application,
                source=ConflictSource.ORGANISER,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            count += 1
        modeladmin.message_user(
            request,
            _("%(count)s assignments released. Run the automatic assignment to give these applications new reviewers.")
            % {"count": count},
            messages.SUCCESS,
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Declare conflicts of interest"),
        "opts": modeladmin.model._meta,
        "form": form,
        "assignments": list(queryset.select_related("reviewer", "application")[:100]),
        "count": queryset.count(),
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "action": "release_for_conflict",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/reviews/release_assignments.html", context)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, CappedCountAdmin, admin.ModelAdmin):
    list_display = ("reviewer", "organisation", "application", "call", "state", "work", "created_at")
    list_filter = (AssignmentCallFilter, "state", WorkStateFilter, ReviewerFilter, OrganisationFilter)
    search_fields = ("application__startup_name", "reviewer__email", "reviewer__last_name")
    list_select_related = ("reviewer__reviewer_profile", "application__call", "review")
    list_per_page = 100
    ordering = ("-created_at", "-pk")
    actions = [release_for_conflict]
    fields = ("reviewer", "application", "state", "assigned_by", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.with_work_state(super().get_queryset(request))

    @admin.display(description=gettext_lazy("organisation"), ordering="reviewer__reviewer_profile__organisation")
    def organisation(self, obj):
        profile = getattr(obj.reviewer, "reviewer_profile", None)
        return profile.get_organisation_display() if profile else "—"

    @admin.display(description=gettext_lazy("call"), ordering="application__call__closes_at")
    def call(self, obj):
        return obj.application.call

    @admin.display(description=gettext_lazy("review"), ordering="work_state")
    def work(self, obj):
        return WorkState(obj.work_state).label


@admin.register(Conflict)
class ConflictAdmin(CappedCountAdmin, admin.ModelAdmin):
    """Conflicts are kept as a record: organisers add them, nobody edits or deletes them here."""

    form = OrganiserConflictForm
    list_display = ("reviewer", "application", "source", "reason", "declared_by", "created_at")
    list_filter = (type("ConflictCallFilter", (CallFilter,), {"path": "application__call"}), "source")
    search_fields = ("application__startup_name", "reviewer__email", "reason")
    list_select_related = ("reviewer", "application", "declared_by")
    autocomplete_fields = ("reviewer", "application")
    ordering = ("-created_at", "-pk")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("reviewer", "application", "source", "reason", "declared_by", "created_at")
        return ()

    def get_fields(self, request, obj=None):
        if obj is not None:
            return self.get_readonly_fields(request, obj)
        return ("reviewer", "application", "reason")

    def save_model(self, request, obj, form, change):
        conflict = services.declare_conflict(
            reviewer=obj.reviewer,
            application=obj.application,
            source=ConflictSource.ORGANISER,
            reason=obj.reason,
            by=request.user,
        )
        obj.pk = conflict.pk
        obj._state.adding = False


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    can_delete = False
    fields = ("criterion", "value", "scale_max")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _dash(value):
    return "—" if value in (None, "") else value


def describe_change(change: ReviewChange) -> str:
    """ "Team: 3 → 4; recommendation: yes → strong_yes" from the before/after snapshots."""
    before, after = change.before or {}, change.after or {}
    old_scores, new_scores = before.get("scores", {}), after.get("scores", {})
    parts = []
    for name in [*new_scores, *(n for n in old_scores if n not in new_scores)]:
        old, new = old_scores.get(name), new_scores.get(name)
        if old != new:
            parts.append(f"{name}: {_dash(old)} → {_dash(new)}")
    for key, label in (
        ("weighted_score", _("weighted score")),
        ("recommendation", _("recommendation")),
        ("confidence", _("confidence")),
    ):
        if before.get(key) != after.get(key):
            parts.append(f"{label}: {_dash(before.get(key))} → {_dash(after.get(key))}")
    if change.kind == ReviewChangeKind.CHANGED and before.get("comments", "") != after.get("comments", ""):
        parts.append(str(_("comments changed")))
    return "; ".join(parts)


class ReviewChangeInline(admin.TabularInline):
    model = ReviewChange
    extra = 0
    can_delete = False
    fields = ("changed_at", "changed_by", "kind", "summary")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("old → new"))
    def summary(self, obj):
        return describe_change(obj)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, CappedCountAdmin, admin.ModelAdmin):
    list_display = (
        "application",
        "reviewer",
        "organisation",
        "status",
        "weighted",
        "recommendation",
        "confidence",
        "submitted_at",
    )
    list_filter = (ReviewCallFilter, "status", "recommendation", "confidence", ReviewOrganisationFilter)
    search_fields = ("assignment__application__startup_name", "assignment__reviewer__email")
    list_select_related = ("assignment__application", "assignment__reviewer__reviewer_profile")
    # The list's page reads only its columns (not the applications' answers or the comments).
    list_only = (
        "assignment__state",
        "assignment__application__startup_name",
        "assignment__reviewer__first_name",
        "assignment__reviewer__last_name",
        "assignment__reviewer__email",
        "assignment__reviewer__username",
        "assignment__reviewer__reviewer_profile__organisation",
        "status",
        "weighted_score",
        "recommendation",
        "confidence",
        "submitted_at",
    )
    list_per_page = 100
    ordering = ("-submitted_at", "-pk")
    inlines = [ScoreInline, ReviewChangeInline]
    fields = (
        "application",
        "reviewer",
        "assignment_state",
        "status",
        "weighted_score",
        "recommendation",
        "confidence",
        "comments",
        "submitted_at",
        "updated_at",
    )
    readonly_fields = fields
    change_list_template = "admin/reviews/review/change_list.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        export = path("export/", self.admin_site.admin_view(self.export_view), name="{}_{}_export".format(*info))
        return [export, *super().get_urls()]

    @admin.display(description=gettext_lazy("application"), ordering="assignment__application__startup_name")
    def application(self, obj):
        return obj.assignment.application

    @admin.display(description=gettext_lazy("reviewer"), ordering="assignment__reviewer__last_name")
    def reviewer(self, obj):
        return obj.assignment.reviewer

    @admin.display(description=gettext_lazy("organisation"))
    def organisation(self, obj):
        profile = getattr(obj.assignment.reviewer, "reviewer_profile", None)
        return profile.get_organisation_display() if profile else "—"

    @admin.display(description=gettext_lazy("assignment"))
    def assignment_state(self, obj):
        return obj.assignment.get_state_display()

    @admin.display(description=gettext_lazy("weighted score"), ordering="weighted_score")
    def weighted(self, obj):
        return _score(obj.weighted_score)

    def export_view(self, request):
        if not may_export(request.user):
            raise PermissionDenied
        # The list's "Export" link only preselects the call; the download starts once a format is chosen.
        form = (
            ExportForm(request.GET)
            if "format" in request.GET
            else ExportForm(initial={"call": request.GET.get("call")})
        )
        if form.is_valid():
            return export_response(form.cleaned_data["call"], form.cleaned_data["format"])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export submitted reviews"),
            "opts": self.opts,
            "form": form,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/reviews/review/export.html", context)

    def changelist_view(self, request, extra_context=None):
        extra = {"may_export": may_export(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra)


@admin.register(ReviewChange)
class ReviewChangeAdmin(ReadOnlyAdminMixin, CappedCountAdmin, admin.ModelAdmin):
    """Every submission and change of a submitted review, for organisers."""

    list_display = ("changed_at", "review_link", "changed_by", "kind", "summary")
    list_filter = (type("ChangeCallFilter", (CallFilter,), {"path": "review__assignment__application__call"}), "kind")
    search_fields = ("review__assignment__application__startup_name", "changed_by__email")
    list_select_related = ("review__assignment__application", "changed_by")
    ordering = ("-changed_at", "-pk")
    fields = ("review", "changed_at", "changed_by", "kind", "before", "after")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("review"))
    def review_link(self, obj):
        url = reverse("admin:reviews_review_change", args=[obj.review_id])
        return format_html('<a href="{}">{}</a>', url, obj.review.assignment.application)

    @admin.display(description=gettext_lazy("old → new"))
    def summary(self, obj):
        return describe_change(obj)


class DomainsField(forms.CharField):
    """E-mail domains typed as "meta.com, fb.com", stored as a list."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        items = [item for item in (value or "").replace("\n", ",").replace(" ", ",").split(",") if item.strip()]
        domains = []
        for item in items:
            domain = normalise(item)
            if domain is None:
                raise ValidationError(_("“%(value)s” is not a domain name."), params={"value": item.strip()})
            domains.append(domain)
        return sorted(set(domains))


class ReviewerProfileForm(forms.ModelForm):
    email_domains = DomainsField(
        label=gettext_lazy("e-mail domains"),
        required=False,
        help_text=gettext_lazy(
            "Domains of the reviewer's organisation, separated by commas (meta.com, fb.com). Founders or startups "
            "on these domains are conflicts of interest."
        ),
    )

    class Meta:
        model = ReviewerProfile
        fields = ("user", "organisation", "email_domains", "max_assignments")


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    """Giving someone a reviewer profile makes them a reviewer (staff, Reviewers group)."""

    form = ReviewerProfileForm
    list_display = ("user", "email", "organisation", "domains", "max_assignments")
    list_filter = ("organisation",)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    show_full_result_count = False

    @admin.display(description=gettext_lazy("e-mail"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=gettext_lazy("e-mail domains"))
    def domains(self, obj):
        return format_html_join(", ", "{}", ((d,) for d in obj.email_domains or []))

    def save_model(self, request, obj, form, change):
        services.save_reviewer_profile(obj)

    def delete_model(self, request, obj):
        services.remove_reviewer(obj)

    def delete_queryset(self, request, queryset):
        for profile in queryset.select_related("user"):
            services.remove_reviewer(profile)
