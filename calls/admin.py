from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from calls.models import Call, Criterion, Partner
from cohorts.admin_offers import CALL_OFFER_ACTIONS
from cohorts.shortlist.admin import run_shortlist_action


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("order", "name", "description", "weight", "scale_max")


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    fields = ("order", "name", "website", "role")


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "state_label", "opens_at", "closes_at", "review_deadline", "cohort_size")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "closes_at"
    inlines = [PartnerInline, CriterionInline]
    actions = [run_shortlist_action, *CALL_OFFER_ACTIONS]
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "description", "location")}),
        (
            _("Timeline"),
            {
                "fields": (
                    "time_zone",
                    "opens_at",
                    "closes_at",
                    "review_deadline",
                    "programme_starts_on",
                    "programme_ends_on",
                    "decided_at",
                ),
                "description": _("Times are entered in the portal's zone, Europe/Paris."),
            },
        ),
        (_("Eligibility"), {"fields": ("eligible_countries",)}),
        (
            _("Review and selection"),
            {
                "fields": (
                    "cohort_size",
                    "reviewers_per_application",
                    "min_reviews",
                    "shortlist_method",
                    "disagreement_threshold",
                    "offer_response_days",
                )
            },
        ),
        (_("Reminders"), {"fields": ("founder_reminder_hours", "reviewer_reminder_hours")}),
    )

    @admin.display(description=_("state"))
    def state_label(self, obj):
        return obj.state.label
