"""Forms of the panel's scoring page in the admin. Rules are checked again by interviews.scoring."""

from django import forms
from django.utils.translation import gettext_lazy as _

from interviews.models import Outcome
from interviews.scoring import RECORDABLE_OUTCOMES
from reviews.forms import RubricForm, ServiceErrorsForm


class PanelSheetForm(RubricForm):
    """A score per interview criterion and comments; each radio says what its value means, as on
    the review page."""

    comments = forms.CharField(
        label=_("Comments for organisers"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Founders never see them."),
    )

    def __init__(self, *args, criteria, sheet=None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if sheet is not None:
            initial["comments"] = sheet.comments
        scores = sheet.scores.all() if sheet is not None else ()
        super().__init__(*args, criteria=criteria, scores=scores, initial=initial, **kwargs)

    def service_arguments(self) -> dict:
        return {"scores": self.scores(), "comments": self.cleaned_data.get("comments") or ""}


OUTCOME_LABELS = {
    Outcome.PENDING: _("Not recorded yet"),
    Outcome.ATTENDED: _("The startup came to its interview"),
    Outcome.NO_SHOW: _("No-show: the startup did not come (it leaves the final ranking)"),
}


class OutcomeForm(ServiceErrorsForm):
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
