"""Render an e-mail's subject and body in the recipient's language."""

from django.template.loader import render_to_string
from django.utils import translation


def render_mail(kind: str, context: dict, language: str) -> tuple[str, str]:
    """Templates live in templates/mail/<kind>_subject.txt and <kind>_body.txt."""
    with translation.override(language):
        subject = render_to_string(f"mail/{kind}_subject.txt", context).strip()
        body = render_to_string(f"mail/{kind}_body.txt", context).strip() + "\n"
    # A subject is one line: a stray newline would be rejected by the mail library.
    return " ".join(subject.split()), body
