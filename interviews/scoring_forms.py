"""Forms of the panel's scoring page in the admin. Rules are checked again by interviews.scoring."""

from django import forms
from django.utils.translation import gettext_lazy as _

from interviews.models import Outcome
from interviews.scoring import RECORDABLE_OUTCOMES


def criterion_field(criterion) -> str:
    return f"criterion_{criterion.pk}"


class PanelSheetForm(forms.Form):
    """A score per interview criterion (radio buttons, one group per criterion) and comments.
    Every field may stay empty in a draft."""

    comments = forms.CharField(
        label=_("Comments for organisers"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Founders never see them."),
    )

    def __init__(self, *args, criteria, sheet=None, **kwargs):
        self.criteria = list(criteria)
        initial = kwargs.pop("initial", {}) or {}
        if sheet is not None:
            initial["comments"] = sheet.comments
            for score in sheet.scores.all():
                initial[f"criterion_{score.criterion_id}"] = score.value
        super().__init__(*args, initial=initial, **kwargs)
        for criterion in self.criteria:
            self.fields[criterion_field(criterion)] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=[(i, str(i)) for i in range(1, criterion.scale_max + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        self.order_fields([criterion_field(c) for c in self.criteria])

    def criterion_rows(self):
        """(criterion, bound field) in rubric order, for the template."""
        return [(c, self[criterion_field(c)]) for c in self.criteria]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {c.pk: data.get(criterion_field(c)) for c in self.criteria},
            "comments": data.get("comments") or "",
        }

    def add_service_errors(self, error) -> None:
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)


OUTCOME_LABELS = {
    Outcome.PENDING: _("Not recorded yet"),
    Outcome.ATTENDED: _("The startup came to its interview"),
    Outcome.NO_SHOW: _("No-show: the startup did not come (it leaves the final ranking)"),
}


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Interview outcome"),
        choices=[(value, OUTCOME_LABELS[value]) for value in RECORDABLE_OUTCOMES],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for a no-show, e.g. “did not come, no answer to two calls”. Organisers see it."),
    )

    def add_service_errors(self, error) -> None:
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)
