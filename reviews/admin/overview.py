"""The organiser's overview: review progress and score statistics per application and per reviewer.

Both lists compute their figures with annotations in the page's one query, so their query count
does not grow with the number of rows; the unfiltered total count is not computed.
"""

from django.contrib import admin
from django.db.models import F, IntegerField, Value
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.admin_access import ReadOnlyAdminMixin
from applications.models import SUBMITTED_STATUSES
from calls.admin_cockpit_link import CockpitLinkMixin
from core.admin_paging import CappedCountAdmin
from reviews import selectors
from reviews.admin.actions import assign_reviewers_by_hand
from reviews.admin.filters import CallFilter, CountryFilter, DisagreementFilter, ProgressFilter, StatsCallFilter
from reviews.models import ApplicationProgress, Assignment, ReviewerProgress


def _score(value):
    return "—" if value is None else f"{value:.2f}"


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fk_name = "application"
    extra = 0
    can_delete = False
    fields = ("reviewer", "organisation", "state", "review_status", "weighted", "recommendation", "submitted")
    readonly_fields = fields
    verbose_name_plural = _("reviewers")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer__reviewer_profile", "review")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("organisation"))
    def organisation(self, obj):
        profile = getattr(obj.reviewer, "reviewer_profile", None)
        return profile.get_organisation_display() if profile else "—"

    def _review(self, obj):
        return selectors.own_review(obj)

    @admin.display(description=_("review"))
    def review_status(self, obj):
        review = self._review(obj)
        if review is None:
            return _("To do")
        url = reverse("admin:reviews_review_change", args=[review.pk])
        return format_html('<a href="{}">{}</a>', url, review.get_status_display())

    @admin.display(description=_("weighted score"))
    def weighted(self, obj):
        review = self._review(obj)
        return _score(review.weighted_score if review else None)

    @admin.display(description=_("recommendation"))
    def recommendation(self, obj):
        review = self._review(obj)
        return review.get_recommendation_display() if review and review.recommendation else "—"

    @admin.display(description=_("submitted"))
    def submitted(self, obj):
        review = self._review(obj)
        if not (review and review.submitted_at):
            return "—"
        return date_format(timezone.localtime(review.submitted_at), "DATETIME_FORMAT")


@admin.register(ApplicationProgress)
class ApplicationProgressAdmin(CockpitLinkMixin, ReadOnlyAdminMixin, CappedCountAdmin, admin.ModelAdmin):
    # No call column: the call filter says which call is shown, and the figures fit on one screen.
    list_display = (
        "startup_name",
        "status",
        "country_name",
        "reviews",
        "mean_score",
        "spread",
        "disagreement_flag",
    )
    list_filter = (CallFilter, "status", CountryFilter, ProgressFilter, DisagreementFilter)
    search_fields = ("startup_name",)
    # The list shows nothing of the call: its long texts would ride along with every row sorted.
    list_select_related = False
    list_per_page = 50
    ordering = ("-submitted_at", "-pk")
    actions = [assign_reviewers_by_hand]
    inlines = [AssignmentInline]
    fields = ("startup_name", "call", "status", "country", "submitted_at")
    readonly_fields = fields

    def get_queryset(self, request):
        # Only the columns the pages show: the long answers stay in the database.
        applications = (
            super()
            .get_queryset(request)
            .filter(status__in=SUBMITTED_STATUSES)
            .only("startup_name", "status", "country", "submitted_at", "call")
        )
        return selectors.with_review_stats(applications)

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, obj):
        # Not the field: the admin would build and sort the list of 250 countries for each row.
        return obj.country.name or None

    @admin.display(description=_("reviews submitted / assigned"), ordering="submitted_count")
    def reviews(self, obj):
        return f"{obj.submitted_count} / {obj.assigned_count}"

    @admin.display(description=_("mean score"), ordering=F("mean_score").asc(nulls_first=True))
    def mean_score(self, obj):
        return _score(obj.mean_score)

    @admin.display(description=_("std. deviation"), ordering=F("score_spread").asc(nulls_first=True))
    def spread(self, obj):
        return _score(obj.score_spread)

    @admin.display(description=_("disagreement"), boolean=True, ordering="disagreement")
    def disagreement_flag(self, obj):
        return obj.disagreement


class OrganisationFilter(admin.SimpleListFilter):
    title = _("organisation")
    parameter_name = "organisation"

    def lookups(self, request, model_admin):
        from reviews.models import Organisation

        return Organisation.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(reviewer_profile__organisation=self.value())
        return queryset


@admin.register(ReviewerProgress)
class ReviewerProgressAdmin(CockpitLinkMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "reviewer",
        "email",
        "organisation",
        "assigned",
        "submitted",
        "drafts",
        "progress",
        "mean_score",
        "spread",
    )
    list_display_links = None
    list_filter = (StatsCallFilter, OrganisationFilter)
    search_fields = ("email", "first_name", "last_name")
    list_select_related = ("reviewer_profile",)
    show_full_result_count = False
    list_per_page = 100
    ordering = ("first_name", "last_name", "pk")
    actions = None

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [path("", self.admin_site.admin_view(self.changelist_view), name="{}_{}_changelist".format(*info))]

    def get_queryset(self, request):
        call = request.GET.get(StatsCallFilter.parameter_name)
        call_id = int(call) if call and call.isdigit() else None
        # The selected call travels with each row so that the links keep it (the admin is shared by threads).
        return (
            selectors.with_reviewer_stats(selectors.reviewers_queryset(), call=call_id)
            .select_related("reviewer_profile")
            .annotate(stats_call=Value(call_id, output_field=IntegerField()))
        )

    @admin.display(description=_("reviewer"), ordering="first_name")
    def reviewer(self, obj):
        query = {"reviewer": obj.pk}
        if obj.stats_call:
            query["call"] = obj.stats_call
        url = reverse("admin:reviews_assignment_changelist") + "?" + urlencode(query)
        return format_html('<a href="{}">{}</a>', url, str(obj))

    @admin.display(description=_("organisation"), ordering="reviewer_profile__organisation")
    def organisation(self, obj):
        profile = getattr(obj, "reviewer_profile", None)
        return profile.get_organisation_display() if profile else "—"

    @admin.display(description=_("assigned"), ordering="assigned_count")
    def assigned(self, obj):
        return obj.assigned_count

    @admin.display(description=_("submitted"), ordering="submitted_count")
    def submitted(self, obj):
        return obj.submitted_count

    @admin.display(description=_("drafts"), ordering="draft_count")
    def drafts(self, obj):
        return obj.draft_count

    @admin.display(description=_("progress"))
    def progress(self, obj):
        if not obj.assigned_count:
            return "—"
        return f"{round(100 * obj.submitted_count / obj.assigned_count)} %"

    @admin.display(description=_("mean score"), ordering=F("mean_score").asc(nulls_first=True))
    def mean_score(self, obj):
        return _score(obj.mean_score)

    @admin.display(description=_("std. deviation"), ordering=F("score_spread").asc(nulls_first=True))
    def spread(self, obj):
        return _score(obj.score_spread)
