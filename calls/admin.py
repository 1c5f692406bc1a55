from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from calls.models import Call, Criterion, Partner
from calls.phases import next_step
from calls.selectors import call_phase


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

    list_display = ("title", "slug", "phase_label", "opens_at", "closes_at", "review_deadline", "cohort_size")
    search_fields = ("title_en", "title_fr", "slug")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "closes_at"
    inlines = [PartnerInline, CriterionInline]
    readonly_fields = ("phase_now", "shortlist_locked_at", "offers_sent_at", "decided_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "description", "location")}),
        (
            _("Phase"),
            {
                "fields": ("phase_now", "shortlist_locked_at", "offers_sent_at", "decided_at"),
                "description": _(
                    "Not open yet → open → under review → shortlist locked → offers out → decided. The first "
                    "phases follow the dates below; the others are recorded when the organisers lock the "
                    "shortlist, send the first offers and send the decision e-mail."
                ),
            },
        ),
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

    @admin.display(description=_("phase"))
    def phase_label(self, obj):
        return call_phase(obj).label

    @admin.display(description=_("phase now"))
    def phase_now(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html("<strong>{}</strong><br>{}", call_phase(obj).label, next_step(obj))
