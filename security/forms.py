from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"),
        max_length=8,
        help_text=_("The code your authenticator app shows now for this portal."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}", "autofocus": True}
        ),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isdigit() and len(token) == 6):
            raise forms.ValidationError(_("Enter the six digits your authenticator app shows."))
        return token
