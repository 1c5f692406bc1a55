"""Shared steps of the browser journeys: the page texts in the journey's language, mail, files."""

import datetime as dt
import re
from urllib.parse import urlsplit

from django.core import mail
from django.utils import timezone, translation

from tests.factories.calls import CallFactory, CriterionFactory

PASSWORD = "correct-horse-battery"

# The staff journeys' rubric: weights 3, 2, 1.
RUBRIC = [("Open models", 3), ("Team", 2), ("Compute plan", 1)]


def call_in_review():
    """A call in review: applications closed yesterday, reviews due in two weeks, RUBRIC as criteria."""
    now = timezone.now()
    call = CallFactory(
        title="Open models 2026",
        opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=1),
        review_deadline=now + dt.timedelta(days=14),
    )
    for order, (name, weight) in enumerate(RUBRIC):
        CriterionFactory(call=call, name=name, weight=weight, order=order)
    return call


class Texts:
    """The portal's own wording in one language, looked up through gettext like the pages do.

    In French, a text that comes back untranslated fails the test: the journey must be French.
    """

    def __init__(self, language: str):
        self.language = language

    def __call__(self, msgid: str, **values) -> str:
        with translation.override(self.language):
            text = translation.gettext(msgid)
        if self.language != "en":
            assert text != msgid, f"not translated into {self.language}: {msgid!r}"
        return text % values if values else text

    def same(self, msgid: str) -> str:
        """A text that may rightly read the same in every language (brand names, legal forms)."""
        with translation.override(self.language):
            return translation.gettext(msgid)


def label(text: str) -> re.Pattern:
    """A field's accessible name: exactly `text`, or `text*` when crispy-forms marks it required."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def link_in(message, path_prefix: str) -> str:
    """The path (and query) of the first link in an e-mail whose path starts with path_prefix."""
    for url in re.findall(r"https?://\S+", message.body):
        parts = urlsplit(url)
        if parts.path.startswith(path_prefix):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no link to {path_prefix} in: {message.body}")


def wait_for_path(page, path: str) -> None:
    """Wait until the tab shows `path` (ignoring the query and fragment)."""
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def admin_sign_in(page, user) -> None:
    """Sign in on the admin's login page (staff log in with their e-mail as username)."""
    page.goto("/admin/")
    page.wait_for_url("**/admin/login/**")
    page.get_by_label("E-mail").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)
