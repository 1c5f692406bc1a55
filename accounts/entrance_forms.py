"""allauth's log-in, sign-up and password-reset forms in the portal's words.

Separate from accounts.forms, which allauth imports for its sign-up form's base class.
"""

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _

# allauth's forms in the portal's words: one term for the address ("e-mail address" / « adresse
# e-mail ») on every page, where allauth's French says « Courriel » and its English "Email".
EMAIL_LABEL = _("E-mail address")


def _portal_labels(form):
    for name in ("login", "email"):
        if name in form.fields:
            form.fields[name].label = EMAIL_LABEL
            form.fields[name].widget.attrs["placeholder"] = EMAIL_LABEL
    if "remember" in form.fields:
        form.fields["remember"].label = _("Keep me logged in")


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _portal_labels(self)


class SignupForm(allauth_forms.SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _portal_labels(self)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _portal_labels(self)
