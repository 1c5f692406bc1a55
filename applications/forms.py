"""The founder's application form (its questions: applications.answers), the team formset, the pitch deck."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.forms.boundfield import BoundField
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.answers import ANSWER_FIELDS, ANSWERS, PARAGRAPHS
from applications.deck_validation import validate_pitch_deck
from applications.models import TEAM_FIELDS, Application

TEXT_LIMIT = 2000
MAX_TEAM_ROWS = 20

TEXTAREAS = [name for name, answer in ANSWERS.items() if answer.shows_as == PARAGRAPHS]

YES_NO = [("True", _("Yes")), ("False", _("No"))]


FIELD_TEMPLATE = "applications/forms/field.html"


class BootstrapBoundField(BoundField):
    """A field as Bootstrap 5 shows it: the widget's class, and `is-invalid` when it has errors.

    Django adds `aria-invalid` and `aria-describedby` (help text, then errors) itself; the field's
    template (FIELD_TEMPLATE, through `as_field_group`) writes the label, errors and help text."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
            css = "form-select"
        elif isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        else:
            css = "form-control"
        if self.errors:
            css += " is-invalid"
        given = attrs.get("class") or widget.attrs.get("class")
        attrs["class"] = f"{given} {css}" if given else css
        return attrs


def _bootstrap(fields) -> None:
    """Render these fields with FIELD_TEMPLATE (`{{ field.as_field_group }}`) and Bootstrap's classes.

    Crispy-forms' bootstrap5 field template did this before, at about three quarters of the form
    page's CPU for its 35 fields (issue 18). A select writes its options inline: Django's own
    template includes one template per option (RadioSelect and CheckboxSelectMultiple are written
    by FIELD_TEMPLATE)."""
    for field in fields.values():
        if field.widget.is_hidden:
            continue
        field.template_name = FIELD_TEMPLATE
        field.bound_field_class = BootstrapBoundField
        if isinstance(field.widget, forms.Select) and not field.widget.allow_multiple_selected:
            field.widget.template_name = "applications/widgets/select.html"


class ApplicationForm(forms.ModelForm):
    """Every field is optional here: a draft saves with whatever is filled in, only format errors block it.

    What a complete application needs is decided by applications.completeness at submit time.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    website = forms.URLField(label=ANSWERS["website"].question, required=False, max_length=200, assume_scheme="https")
    foundation_models = forms.MultipleChoiceField(
        label=ANSWERS["foundation_models"].question,
        choices=ANSWERS["foundation_models"].choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    data_kinds = forms.MultipleChoiceField(
        label=ANSWERS["data_kinds"].question,
        choices=ANSWERS["data_kinds"].choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    data_must_stay_in_eu = forms.NullBooleanField(
        label=ANSWERS["data_must_stay_in_eu"].question,
        widget=forms.RadioSelect(choices=YES_NO),
        required=False,
    )
    available_in_paris = forms.NullBooleanField(
        label=ANSWERS["available_in_paris"].question,
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
        labels = {name: answer.question for name, answer in ANSWERS.items()}
        help_texts = {name: answer.help_text for name, answer in ANSWERS.items() if answer.help_text}
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{name: forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_LIMIT}) for name in TEXTAREAS},
        }

    def __init__(self, *args, call=None, deck_too_big=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.deck_too_big = deck_too_big
        if call is not None and call.eligible_countries:
            count = len(call.eligible_countries)
            self.fields["country"].help_text = ngettext(
                "This call is open to startups based in %(count)s country, listed on the call page.",
                "This call is open to startups based in %(count)s countries, listed on the call page.",
                count,
            ) % {"count": count}

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


def _shape_fields(fields) -> None:
    """What every ApplicationForm shares, set once on the class: each form copies these fields,
    and setting them per form (a choices list normalised again each time) was a fifth of the form
    page's CPU. The country list stays lazy (the model field's blank_label): its order follows the
    reader's language."""
    for name in TEXTAREAS:
        fields[name].max_length = TEXT_LIMIT
        fields[name].validators.append(MaxLengthValidator(TEXT_LIMIT))
    for name in ("legal_form", "stage", "revenue_band"):
        fields[name].choices = [("", _("Choose…")), *[c for c in fields[name].choices if c[0] != ""]]
    for name in ("team_size", "gpu_hours_per_month", "funding_raised_eur"):
        fields[name].widget.attrs["min"] = 0
    # Django's select template includes a template per option: for 250 countries, most of the form
    # page's CPU. _bootstrap's select writes the same options inline (no groups or option attributes here).
    _bootstrap(fields)


_shape_fields(ApplicationForm.base_fields)


class ChangedAnswersForm(ApplicationForm):
    """An autosave's answers (docs/autosave.md): the version, and only the answers the script sent,
    those changed since its last acknowledged save. Only those fields are built and validated; the
    others stay as saved, and were valid then.

    A browser leaves an unticked box and a list with nothing ticked out of a form, so the script
    sends such a changed answer as one empty value: for a list of choices, nothing ticked.
    """

    def __init__(self, data):
        sent = {"version", *(name for name in ANSWER_FIELDS if name in data)}
        # Before BaseForm copies its fields from this: only the sent ones are copied, not all 35.
        self.base_fields = {name: f for name, f in ApplicationForm.base_fields.items() if name in sent}
        lists = [name for name, f in self.base_fields.items() if isinstance(f, forms.MultipleChoiceField)]
        if lists:
            data = data.copy()
            for name in lists:
                data.setlist(name, [value for value in data.getlist(name) if value])
        super().__init__(data)


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


_bootstrap(TeamMemberForm.base_fields)  # not the formset's DELETE box, which the row's template writes


class BaseTeamFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """Filled rows in order, without removed or blank ones."""
        kept = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not any(data.get(f) for f in TEAM_FIELDS):
                continue
            kept.append({f: data.get(f) or "" for f in TEAM_FIELDS})
        return kept


def _team_formset_class(extra: int):
    return forms.formset_factory(
        TeamMemberForm,
        formset=BaseTeamFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_TEAM_ROWS,
        validate_max=True,
        absolute_max=MAX_TEAM_ROWS + 5,
    )


def team_formset(application, data=None, extra=0):
    if data is not None:
        # Posted rows stand on their own. With the saved rows as `initial`, a new row that autosave
        # already stored would look "unchanged", be skipped as empty, and be deleted by this save.
        return _team_formset_class(max(extra, 0))(data=data, prefix="team")
    initial = [{f: getattr(m, f) for f in TEAM_FIELDS} for m in application.team_members.all()]
    return _team_formset_class(max(extra, 0 if initial else 1))(initial=initial, prefix="team")


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Co-founder's e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
