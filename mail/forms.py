from django import forms
from django.utils.translation import gettext_lazy as _

from mail import templating


class MailTextForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=250)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 18}))
    application = forms.TypedChoiceField(
        label=_("Preview with the application of"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, kind: str, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["application"].choices = [(a.pk, a.startup_name or f"#{a.pk}") for a in applications]

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if "\n" in subject or "\r" in subject:
            raise forms.ValidationError(_("A subject is a single line."))
        templating.check(subject, templating.allowed_names(self.kind))
        return subject

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        templating.check(body, templating.allowed_names(self.kind))
        return body
