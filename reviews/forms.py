"""Forms of the review pages in the admin. Rules are checked again by reviews.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from reviews.exports import FORMATS
from reviews.models import Confidence, Conflict, Recommendation
from reviews.selectors import reviewer_pool


def criterion_field(criterion) -> str:
    return f"criterion_{criterion.pk}"


WEAK, FAIR, GOOD, VERY_GOOD, EXCELLENT = (
    _("weak"),
    _("fair"),
    _("good"),
    _("very good"),
    _("excellent"),
)
# What each point means on the usual scales; any other scale names its two ends only.
SCALE_MEANINGS = {
    2: (WEAK, EXCELLENT),
    3: (WEAK, GOOD, EXCELLENT),
    4: (WEAK, FAIR, GOOD, EXCELLENT),
    5: (WEAK, FAIR, GOOD, VERY_GOOD, EXCELLENT),
}


def scale_choices(scale_max: int) -> list[tuple[int, str]]:
    """[(1, "1 – weak"), …, (scale_max, "5 – excellent")]: each radio's label says what it means."""
    meanings = SCALE_MEANINGS.get(scale_max) or {1: WEAK, scale_max: EXCELLENT}
    if isinstance(meanings, tuple):
        meanings = dict(enumerate(meanings, start=1))
    return [
        (value, f"{value} – {meanings[value]}" if value in meanings else str(value))
        for value in range(1, scale_max + 1)
    ]


class ServiceErrorsForm(forms.Form):
    """A form whose service refusals (ValidationError with a message dict) come back on its fields."""

    def add_service_errors(self, error) -> None:
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)


class RubricForm(ServiceErrorsForm):
    """A radio group per rubric criterion, first, then the subclass's own fields. Every field may
    stay empty in a draft. The review page and the interview panel's sheet (interviews) share it."""

    def __init__(self, *args, criteria, scores=(), initial=None, **kwargs):
        self.criteria = list(criteria)
        initial = dict(initial or {})
        for score in scores:
            initial[f"criterion_{score.criterion_id}"] = score.value
        super().__init__(*args, initial=initial, **kwargs)
        for criterion in self.criteria:
            self.fields[criterion_field(criterion)] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=scale_choices(criterion.scale_max),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        self.order_fields([criterion_field(c) for c in self.criteria])

    def criterion_rows(self):
        """(criterion, bound field) in rubric order, for the template."""
        return [(c, self[criterion_field(c)]) for c in self.criteria]

    def scores(self) -> dict:
        """{criterion id: value or None}, as the scoring services take them."""
        return {c.pk: self.cleaned_data.get(criterion_field(c)) for c in self.criteria}


class ReviewForm(RubricForm):
    """A score per criterion, recommendation, confidence and comments."""

    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, required=False, widget=forms.RadioSelect
    )
    confidence = forms.TypedChoiceField(
        label=_("Confidence"),
        choices=Confidence.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("Comments for organisers"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Founders never see them."),
    )

    def __init__(self, *args, criteria, review=None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if review is not None:
            initial.update(
                {
                    "recommendation": review.recommendation,
                    "confidence": review.confidence,
                    "comments": review.comments,
                }
            )
        scores = review.scores.all() if review is not None else ()
        super().__init__(*args, criteria=criteria, scores=scores, initial=initial, **kwargs)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": self.scores(),
            "recommendation": data.get("recommendation") or "",
            "confidence": data.get("confidence"),
            "comments": data.get("comments") or "",
        }


class ConflictReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: former colleague of a founder, investor, friend. Organisers see it."),
    )


class OrganiserConflictForm(forms.ModelForm):
    class Meta:
        model = Conflict
        fields = ("reviewer", "application", "reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "reason" in self.fields:
            self.fields["reason"].required = True


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        profile = getattr(obj, "reviewer_profile", None)
        organisation = profile.get_organisation_display() if profile else _("no profile")
        return f"{obj} · {obj.email} · {organisation}"


class AssignReviewersForm(forms.Form):
    reviewers = ReviewerChoiceField(
        label=_("Reviewers"),
        queryset=reviewer_pool().order_by("first_name", "last_name", "email"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Conflicts of interest are checked; conflicted pairs are skipped."),
    )


class ExportForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.order_by("-closes_at"))
    format = forms.ChoiceField(label=_("Format"), choices=[(f, f.upper()) for f in FORMATS], initial="csv")
