"""List filters shared by the review admin pages."""

from django.contrib import admin
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from reviews.models import WorkState


class CallFilter(admin.SimpleListFilter):
    """Filter by call through a configurable path (the call is not a direct field everywhere)."""

    title = _("call")
    parameter_name = "call"
    path = "call"

    def lookups(self, request, model_admin):
        return [(str(pk), title) for pk, title in Call.objects.order_by("-closes_at").values_list("pk", "title")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.path: self.value()})
        return queryset


class AssignmentCallFilter(CallFilter):
    path = "application__call"


class ReviewCallFilter(CallFilter):
    # The review's own copy of its call: one index serves the filter and the list's order.
    path = "call"


class StatsCallFilter(CallFilter):
    """For per-reviewer statistics: the call restricts the statistics (see ReviewerProgressAdmin)."""

    def queryset(self, request, queryset):
        return queryset


class WorkStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "work"

    def lookups(self, request, model_admin):
        return WorkState.choices

    def queryset(self, request, queryset):
        if self.value() in WorkState.values:
            return queryset.filter(work_state=self.value())
        return queryset


class ProgressFilter(admin.SimpleListFilter):
    title = _("review progress")
    parameter_name = "progress"

    def lookups(self, request, model_admin):
        return [
            ("unassigned", _("Not fully assigned")),
            ("waiting", _("No review submitted")),
            ("partial", _("Some reviews submitted")),
            ("complete", _("All reviews submitted")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "unassigned":
            return queryset.filter(assigned_count__lt=F("call__reviewers_per_application"))
        if value == "waiting":
            return queryset.filter(submitted_count=0)
        if value == "partial":
            return queryset.filter(submitted_count__gt=0, submitted_count__lt=F("assigned_count"))
        if value == "complete":
            return queryset.filter(submitted_count__gt=0, submitted_count__gte=F("assigned_count"))
        return queryset


class DisagreementFilter(admin.SimpleListFilter):
    title = _("disagreement")
    parameter_name = "disagreement"

    def lookups(self, request, model_admin):
        return [("yes", _("Reviewers disagree")), ("no", _("No disagreement"))]

    def queryset(self, request, queryset):
        threshold = F("call__disagreement_threshold")
        if self.value() == "yes":
            return queryset.filter(score_spread__gt=threshold)
        if self.value() == "no":
            return queryset.filter(Q(score_spread__lte=threshold) | Q(score_spread__isnull=True))
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """Only the countries applications come from (not the world's 250), in the viewer's language."""

    title = _("country")
    parameter_name = "country"
    path = "country"

    def lookups(self, request, model_admin):
        from django_countries import countries

        from applications.selectors import submitted_countries

        codes = submitted_countries()
        return sorted(((code, countries.name(code)) for code in codes), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.path: self.value()})
        return queryset
