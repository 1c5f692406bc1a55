"""Render an e-mail's subject and body in the recipient's language.

The built-in text lives in templates/mail/<kind>_subject.txt and <kind>_body.txt. When the context
carries a call (or an application) and organisers wrote their own text for that call, kind and
language (mail.models.MailTemplate), that text is used instead.
"""

from django.template.loader import render_to_string
from django.utils import translation


def render_mail(kind: str, context: dict, language: str) -> tuple[str, str]:
    from mail import templating

    with translation.override(language):
        override = templating.find_override(kind, context, language)
        if override is not None:
            subject = templating.render_text(override.subject, kind, context)
            body = templating.render_text(override.body, kind, context)
            return _tidy(subject, body)
        # The documented placeholders are there for the built-in templates too; the caller's
        # own keys win.
        full = {**templating.values(kind, context), **context}
    return render_builtin(kind, full, language)


def render_builtin(kind: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject = render_to_string(f"mail/{kind}_subject.txt", context)
        body = render_to_string(f"mail/{kind}_body.txt", context)
    return _tidy(subject, body)


def _tidy(subject: str, body: str) -> tuple[str, str]:
    # A subject is one line: a stray newline would be rejected by the mail library.
    return " ".join(subject.split()), body.strip() + "\n"
