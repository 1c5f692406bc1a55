from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from calls.models import Call, Criterion, Partner
from cohorts.admin_offers import CALL_OFFER_ACTIONS
from cohorts.admin_shortlist import run_shortlist_action


class CriterionInline(TranslationTabularInline):
    model = Criterion
    extra = 0
    fields = ("order", "name", "description", "weight", "scale_max")


class PartnerInline(TranslationTabularInline):
    model = Partner
    extra = 0
    fields = ("order", "name", "website", "role")


@admin.register(Call)
class CallAdmin(TranslationAdmin):
    """Public texts (title, summary, description, eligibility notes, partners' roles, criteria) have an
    English and a French field each; English is required, French falls back to it for readers."""

    list_display = ("title", "slug", "state_label", "opens_at", "closes_at", "review_deadline", "cohort_size")
    search_fields = ("title_en", "title_fr", "slug")
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
        (_("Eligibility"), {"fields": ("eligible_countries", "eligibility_notes")}),
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
