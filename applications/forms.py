"""The founder's application form (its fields: applications.sections), the team formset, the pitch deck."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.deck_validation import validate_pitch_deck
from applications.models import Application, DataKind, FoundationModel
from applications.sections import ANSWER_FIELDS

TEXT_LIMIT = 2000
MAX_TEAM_ROWS = 20

TEXTAREAS = ["problem", "solution", "target_users", "hub_usage", "training_plans", "traction", "motivation"]

YES_NO = [("True", _("Yes")), ("False", _("No"))]


class ApplicationForm(forms.ModelForm):
    """Every field is optional here: a draft saves with whatever is filled in, only format errors block it.

    What a complete application needs is decided by applications.completeness at submit time.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    foundation_models = forms.MultipleChoiceField(
        label=_("Open-source foundation models you build on"),
        choices=FoundationModel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    data_kinds = forms.MultipleChoiceField(
        label=_("Kinds of data you handle"),
        choices=DataKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    data_must_stay_in_eu = forms.NullBooleanField(
        label=_("Must your data stay in the European Union?"),
        widget=forms.RadioSelect(choices=YES_NO),
        required=False,
    )
    available_in_paris = forms.NullBooleanField(
        label=_("Can your team be at STATION F, Paris, for the programme dates?"),
        widget=forms.RadioSelect(choices=YES_NO),
        required=False,
    )
    pitch_deck = forms.FileField(
        label=_("Upload a pitch deck"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("PDF, at most 20 MB. No scripts or embedded files."),
    )
    remove_deck = forms.BooleanField(label=_("Remove the current pitch deck"), required=False)

    class Meta:
        model = Application
        fields = ANSWER_FIELDS
        labels = {
            "startup_name": _("Startup name"),
            "city": _("City"),
            "country": _("Country where the startup is based"),
            "founded_on": _("Founding date"),
            "legal_form": _("Legal form"),
            "team_size": _("Team size (people)"),
            "stage": _("Stage"),
            "funding_raised_eur": _("Funding raised so far (EUR)"),
            "problem": _("What problem do you solve?"),
            "solution": _("What is your solution?"),
            "target_users": _("Who are your users?"),
            "foundation_models_other": _("Other models"),
            "hub_usage": _("How do you use the Hugging Face Hub?"),
            "training_plans": _("What would you fine-tune or train during the programme?"),
            "gpu_hours_per_month": _("Estimated H100 GPU-hours per month"),
            "traction": _("Users and customers so far"),
            "revenue_band": _("Revenue"),
            "motivation": _("Why this programme?"),
            "privacy_consent": _(
                "I have read the privacy notice and agree that my application is processed as it describes."
            ),
            "accuracy_declaration": _("I declare that the information in this application is accurate."),
        }
        help_texts = {
            "founded_on": _("Leave empty if the company is not founded yet."),
            "funding_raised_eur": _("Grants, angels and venture capital together; 0 if none."),
            "problem": _("The pain point, and for whom."),
            "solution": _("What you build and why it works better than what exists."),
            "target_users": _("The people or organisations who use or will use the product."),
            "foundation_models_other": _("Which other models, if you ticked Other."),
            "hub_usage": _("Models, datasets or Spaces you use or publish."),
            "training_plans": _("The models, data and goals of the compute you ask for."),
            "gpu_hours_per_month": _("One GPU running for one hour is one GPU-hour."),
            "traction": _("Active users, pilots, paying customers, letters of intent..."),
        }
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{name: forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_LIMIT}) for name in TEXTAREAS},
        }

    def __init__(self, *args, call=None, deck_too_big=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.deck_too_big = deck_too_big
        for name in TEXTAREAS:
            field = self.fields[name]
            field.max_length = TEXT_LIMIT
            field.validators.append(MaxLengthValidator(TEXT_LIMIT))
        for name in ("legal_form", "stage", "revenue_band", "country"):
            choices = list(self.fields[name].choices)
            self.fields[name].choices = [("", _("Choose…")), *[c for c in choices if c[0] != ""]]
        if call is not None and call.eligible_countries:
            count = len(call.eligible_countries)
            self.fields["country"].help_text = ngettext(
                "This call is open to startups based in %(count)s country, listed on the call page.",
                "This call is open to startups based in %(count)s countries, listed on the call page.",
                count,
            ) % {"count": count}
        for name in ("team_size", "gpu_hours_per_month", "funding_raised_eur"):
            self.fields[name].widget.attrs["min"] = 0

    def clean_pitch_deck(self):
        if self.deck_too_big:
            # The upload was stopped while arriving (applications.uploads), so its size is not known.
            raise forms.ValidationError(
                _("This file is over %(limit)s, the limit for a pitch deck. Compress the images or remove slides.")
                % {"limit": filesizeformat(settings.PITCH_DECK_MAX_BYTES)},
                code="too_big",
            )
        upload = self.cleaned_data.get("pitch_deck")
        if isinstance(upload, UploadedFile):
            validate_pitch_deck(upload)
        return upload

    def content_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ANSWER_FIELDS if name in self.cleaned_data}


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    role = forms.CharField(label=_("Role"), max_length=120, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    profile_url = forms.URLField(
        label=_("Profile link"),
        required=False,
        assume_scheme="https",
        help_text=_("LinkedIn, GitHub, Hugging Face..."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("name") and any(data.get(f) for f in ("role", "email", "profile_url")):
            self.add_error("name", _("Give this person's name, or remove the row."))
        return data


class BaseTeamFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """Filled rows in order, without removed or blank ones."""
        kept = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not any(data.get(f) for f in ("name", "role", "email", "profile_url")):
                continue
            kept.append({f: data.get(f) or "" for f in ("name", "role", "email", "profile_url")})
        return kept


def team_formset(application, data=None, extra=0):
    initial = [
        {"name": m.name, "role": m.role, "email": m.email, "profile_url": m.profile_url}
        for m in application.team_members.all()
    ]
    formset_class = forms.formset_factory(
        TeamMemberForm,
        formset=BaseTeamFormSet,
        extra=max(extra, 0 if initial else 1),
        can_delete=True,
        max_num=MAX_TEAM_ROWS,
        validate_max=True,
        absolute_max=MAX_TEAM_ROWS + 5,
    )
    if data is not None:
        # Posted rows stand on their own. With the saved rows as `initial`, a new row that autosave
        # already stored would look "unchanged", be skipped as empty, and be deleted by this save.
        return formset_class(data=data, prefix="team")
    return formset_class(initial=initial, prefix="team")


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Co-founder's e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
