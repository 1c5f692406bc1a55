from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from calls import reminder_offsets, validation
from calls.models import Call, Criterion, Partner
from calls.phases import next_step
from calls.selectors import call_phase
from calls.widgets import EligibleCountriesField, ReminderScheduleField


def name_inputs(field, *, every_input: bool) -> None:
    """Give inputs that no <label> points to an accessible name (axe-core: label): the date and
    time halves of the admin's split date-time widget, and the inputs in an inline's table cells,
    which only have a column header."""
    if field is None:
        return
    label = capfirst(str(field.label or ""))
    widget = getattr(field.widget, "widget", field.widget)  # under the related-field wrapper
    if isinstance(widget, forms.SplitDateTimeWidget):
        widget.widgets[0].attrs["aria-label"] = f"{label}: {_('date')}"
        widget.widgets[1].attrs["aria-label"] = f"{label}: {_('time')}"
    elif every_input and not isinstance(widget, forms.HiddenInput):
        widget.attrs.setdefault("aria-label", label)


class NamedInputsMixin:
    every_input = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        name_inputs(field, every_input=self.every_input)
        return field


class NamedInlineInputs:
    """A formset whose forms' inputs, "Delete" boxes included, have an accessible name."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            name_inputs(field, every_input=True)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Delete")


class CriterionInline(TranslationTabularInline):
    """The rubric. The reviews app replaces it with one that keeps scored reviews consistent
    (reviews.admin.rubric)."""

    model = Criterion
    extra = 0
    fields = ("order", "name", "description", "weight", "scale_max")


class CallAdminForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("time zone"),
        choices=validation.time_zone_choices,
        initial="Europe/Paris",
        help_text=_("Deadlines are shown in this zone."),
    )
    eligible_countries = EligibleCountriesField(
        label=capfirst(_("eligible countries")),
        help_text=_("Founders from other countries cannot submit. None ticked: every country may apply."),
    )
    founder_reminder_hours = ReminderScheduleField(
        label=_("Reminders to founders with a draft"), deadline=reminder_offsets.APPLICATION_DEADLINE
    )
    reviewer_reminder_hours = ReminderScheduleField(
        label=_("Reminders to reviewers with reviews to do"), deadline=reminder_offsets.REVIEW_DEADLINE
    )
    confirm_rubric_change = forms.BooleanField(
        label=_("Rescore the reviews with the new weights"),
        required=False,
        help_text=_(
            "Needed only to change a criterion's weight once reviews are scored: every review's weighted "
            "score is computed again, the change is recorded, and shortlist runs must be run again."
        ),
    )

    class Meta:
        model = Call
        fields = ("time_zone",)  # the admin adds the fields of its fieldsets


class PartnerInline(TranslationTabularInline):
    model = Partner
    extra = 0
    fields = ("order", "name", "website", "role")


@admin.register(Call)
class CallAdmin(NamedInputsMixin, TranslationAdmin):
    """Public texts (title, summary, description, eligibility notes, partners' roles, criteria) have an
    English and a French field each; English is required, French falls back to it for readers."""

    every_input = False  # the form's own fields have their <label>
    form = CallAdminForm
    list_display = ("title", "slug", "phase_label", "opens_at", "closes_at", "review_deadline", "cohort_size")
    search_fields = ("title_en", "title_fr", "slug")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "closes_at"
    inlines = [PartnerInline, CriterionInline]
    readonly_fields = ("phase_now", "shortlist_locked_at", "final_ranking_locked_at", "offers_sent_at", "decided_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "description", "location")}),
        (
            _("Phase"),
            {
                "fields": (
                    "phase_now",
                    "shortlist_locked_at",
                    "final_ranking_locked_at",
                    "offers_sent_at",
                    "decided_at",
                ),
                "description": _(
                    "Not open yet → open → under review → shortlist locked (or, with interviews, interviews) → "
                    "offers out → decided. The first phases follow the dates below; the others are recorded "
                    "when the organisers lock the shortlist, lock the final ranking after the interviews, send "
                    "the first offers and send the decision e-mail."
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
        (
            _("Interviews"),
            {
                "fields": (
                    "interview_size",
                    "interview_review_weight",
                    "interview_booking_closes_at",
                    "interview_scoring_closes_after_hours",
                ),
                "description": _(
                    "Optional. With a number of startups to invite, locking the review shortlist invites them "
                    "to interview (rubric below, slots in Interview slots); the cohort then comes from the final "
                    "ranking, which combines review and interview scores with the share given here."
                ),
            },
        ),
        (_("Reminders"), {"fields": ("founder_reminder_hours", "reviewer_reminder_hours")}),
        (
            _("Rubric"),
            {
                "fields": ("confirm_rubric_change",),
                "description": _(
                    "The criteria are below. Once reviewers have scored, scales and the list of criteria "
                    "are fixed; weights can change, and every score follows."
                ),
            },
        ),
    )

    def get_formsets_with_inlines(self, request, obj=None):
        # Every inline of the call, those other apps add included (reviews, interviews).
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield type(formset.__name__, (NamedInlineInputs, formset), {}), inline

    @admin.display(description=_("phase"))
    def phase_label(self, obj):
        return call_phase(obj).label

    @admin.display(description=_("phase now"))
    def phase_now(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html("<strong>{}</strong><br>{}", call_phase(obj).label, next_step(obj))
