from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _


class DeleteAccountForm(forms.Form):
    """Deleting an account asks for its password again, checked like a sign-in (and throttled like one)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that it is you."),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        # Through the authentication backends, so that django-axes counts wrong passwords here as
        # failed sign-ins of this address: the form cannot be used to guess the password.
        checked = authenticate(self.request, email=user.email, password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password
