"""Stored XSS: what founders type is shown as text everywhere it is shown, and exported as data.

Every free-text answer, every team field, the founder's own name and the deck's file name carry a
script and a markup payload; web addresses carry `javascript:` links. Each page that shows them
must show the payload as text (escaped), contain no element or attribute the payload would have
created, and no clickable `javascript:` link.
"""

import csv
import io
import json
from html.parser import HTMLParser

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Status, TeamMember
from cohorts.models import Offer
from tests.applications.helpers import complete
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory
from tests.factories.cohorts import organiser
from tests.factories.reviews import AssignmentFactory
from tests.security.csp import inline_code

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
MARKUP = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(document.cookie)"

# Every free-text field of the application form.
TEXT_FIELDS = (
    "startup_name",
    "city",
    "problem",
    "solution",
    "target_users",
    "foundation_models_other",
    "hub_usage",
    "training_plans",
    "traction",
    "motivation",
)


def payload(tag: str) -> str:
    """Both payloads, tagged so a test can tell which field came through."""
    return f"{tag} {SCRIPT}{MARKUP} <b>bold-{tag}</b>"


class _Findings(HTMLParser):
    """What a payload would leave in the DOM if it were not escaped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "img" and values.get("src") == "x":
            self.problems.append("<img src=x> element")
        self._script = tag == "script"

    def handle_data(self, data):
        if self._script and "alert(" in data:
            self.problems.append(f"script element running {data!r}")

    def handle_endtag(self, tag):
        self._script = False


def assert_inert(html: str, *, shown=()) -> None:
    """No payload became markup; every tag in `shown` is visible as escaped text."""
    finder = _Findings()
    finder.feed(html)
    assert finder.problems == [], finder.problems
    assert "<b>bold-" not in html  # markup in a payload never reaches the page as markup
    assert inline_code(html) == []  # no on* attribute, no inline script, no javascript: href/src/action
    for tag in shown:
        assert f"{tag} &lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html, (
            f"{tag} is not shown escaped"
        )


@pytest.fixture
def hostile():
    """A submitted application whose founder typed payloads everywhere, with a co-founder."""
    owner = UserFactory(first_name=payload("first"), last_name=MARKUP)
    application = complete(ApplicationFactory(call=CallFactory(), owner=owner))
    for name in TEXT_FIELDS:
        setattr(application, name, payload(name))
    application.website = JS_URL
    application.pitch_deck_name = payload("deckname") + ".pdf"
    application.status = Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save()
    TeamMember.objects.filter(application=application).delete()
    TeamMember.objects.create(
        application=application,
        name=payload("member"),
        role=payload("role"),
        email=f"{MARKUP}@example.eu",
        profile_url=JS_URL,
        order=0,
    )
    return application


def founder_pages(application):
    pk = application.pk
    return {
        "list": reverse("applications:list"),
        "detail": reverse("applications:detail", args=[pk]),
        "edit": reverse("applications:edit", args=[pk]),
        "submit": reverse("applications:submit", args=[pk]),
        "withdraw": reverse("applications:withdraw", args=[pk]),
        "delete account": reverse("privacy:delete"),
    }


def test_founder_pages_show_payloads_as_text(client, hostile):
    client.force_login(hostile.owner)
    for name, url in founder_pages(hostile).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert_inert(response.content.decode())
    html = client.get(reverse("applications:detail", args=[hostile.pk])).content.decode()
    assert_inert(html, shown=[*TEXT_FIELDS, "member", "role", "first"])
    # The javascript: links are shown as text, not as links.
    assert JS_URL in html and 'href="javascript' not in html.lower()
    edit = client.get(reverse("applications:edit", args=[hostile.pk])).content.decode()
    assert_inert(edit)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in edit  # in the form fields, escaped


def test_co_founder_sees_the_owners_name_as_text(client, hostile):
    co_founder = UserFactory()
    hostile.memberships.create(user=co_founder, call=hostile.call)
    client.force_login(co_founder)
    for name, url in founder_pages(hostile).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert_inert(response.content.decode())
    html = client.get(reverse("applications:detail", args=[hostile.pk])).content.decode()
    assert "first &lt;script&gt;" in html


def test_offer_page_shows_the_startup_name_as_text(client, hostile):
    hostile.status = Status.OFFERED
    hostile.save()
    offer = Offer.objects.create(
        application=hostile, call=hostile.call, seat=1, respond_by=timezone.now() + timezone.timedelta(days=3)
    )
    client.force_login(hostile.owner)
    for url in (reverse("cohorts:offer", args=[offer.pk]), reverse("applications:detail", args=[hostile.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert_inert(response.content.decode(), shown=["startup_name"])


def test_admin_pages_show_payloads_as_text(client, hostile):
    client.force_login(organiser(is_superuser=True))
    call = hostile.call
    pages = {
        "application list": reverse("admin:applications_application_changelist") + "?q=startup_name",
        "application change": reverse("admin:applications_application_change", args=[hostile.pk]),
        "team member list": reverse("admin:applications_application_changelist"),
        "offers": reverse("admin:cohorts_call_offers", args=[call.pk]),
        "dashboard": reverse("admin:cohorts_call_dashboard", args=[call.pk]),
        "e-mail preview": reverse("admin:mail_mailtemplate_edit", args=[call.pk, "application_submitted", "en"]),
        "exports": reverse("admin:cohorts_call_exports", args=[call.pk]),
        "user change": reverse("admin:accounts_user_change", args=[hostile.owner.pk]),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert_inert(response.content.decode())
    change = client.get(pages["application change"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in change
    # Django's URL widget shows a link only for a valid web address.
    assert 'href="javascript' not in change.lower()
    listing = client.get(pages["application list"]).content.decode()
    assert "startup_name &lt;script&gt;" in listing
    preview = client.get(pages["e-mail preview"]).content.decode()
    assert "startup_name &lt;script&gt;" in preview


def test_reviewer_pages_show_payloads_as_text(client, hostile):
    from reviews.services import save_review
    from tests.factories.calls import CriterionFactory
    from tests.reviews.conftest import make_reviewer

    reviewer = make_reviewer("meta", ["meta.com"])
    criterion = CriterionFactory(call=hostile.call, scale_max=5)
    assignment = AssignmentFactory(application=hostile, reviewer=reviewer)
    client.force_login(reviewer)
    review_page = reverse("admin:reviews_myreview_change", args=[assignment.pk])
    for url in (reverse("admin:reviews_myreview_changelist"), review_page):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())
    html = client.get(review_page).content.decode()
    assert_inert(html, shown=[*TEXT_FIELDS, "member", "role"])
    # The website and the profile link are javascript: addresses: shown, never clickable.
    assert JS_URL in html and 'href="javascript' not in html.lower()

    # A reviewer's own comment is free text too: inert for organisers reading reviews.
    save_review(
        assignment,
        by=reviewer,
        scores={criterion.pk: 4},
        recommendation="yes",
        confidence=2,
        comments=payload("comment"),
        submit=True,
    )
    client.force_login(organiser(is_superuser=True))
    for url in (
        reverse("admin:reviews_review_changelist"),
        reverse("admin:reviews_review_change", args=[assignment.review.pk]),
        reverse("admin:reviews_applicationprogress_changelist"),
        reverse("admin:reviews_reviewchange_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())
    response = client.get(reverse("admin:reviews_review_export"), {"call": hostile.call.pk, "format": "csv"})
    assert response["Content-Disposition"].startswith("attachment")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    [header, row] = list(csv.reader(io.StringIO(text, newline="")))
    assert dict(zip(header, row, strict=True))["startup"] == payload("startup_name")  # data, exactly as typed


def test_exports_carry_payloads_as_data(client, hostile):
    hostile.city = '=HYPERLINK("' + JS_URL + '","click")'
    hostile.save()
    client.force_login(organiser(is_superuser=True))
    url = reverse("admin:cohorts_call_export_file", args=[hostile.call.pk])

    response = client.get(url, {"scope": "submitted", "format": "csv"})
    assert response["Content-Disposition"].startswith("attachment")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    [header, row] = list(csv.reader(io.StringIO(text, newline="")))
    cells = dict(zip(header, row, strict=True))
    assert cells["Startup"] == payload("startup_name")  # exactly what was typed, as text
    assert cells["City"] == "'" + hostile.city  # formula neutralised
    assert cells["Website"] == JS_URL and cells["Founders"] == payload("member")

    response = client.get(url, {"scope": "submitted", "format": "json"})
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment")
    [record] = json.loads(b"".join(response.streaming_content))["rows"]
    assert record["startup"] == payload("startup_name") and record["city"] == hostile.city
    assert record["founders"][0]["name"] == payload("member")

    response = client.post(reverse("admin:cohorts_call_export_xlsx", args=[hostile.call.pk]), {"scope": "submitted"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = [list(r) for r in sheet.iter_rows(min_row=1, max_row=2)]
    cells = {h.value: c for h, c in zip(header, row, strict=True)}
    assert cells["Startup"].value == payload("startup_name") and cells["Startup"].data_type == "s"
    assert cells["City"].value == "'" + hostile.city and cells["City"].data_type == "s"


def test_founders_own_data_download_is_an_attachment_not_a_page(client, hostile):
    client.force_login(hostile.owner)
    response = client.get(reverse("privacy:export"))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://huggingface.co/ada", "https://huggingface.co/ada"),
        ("HTTP://example.eu", "HTTP://example.eu"),
        (JS_URL, ""),
        ("  JavaScript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("vbscript:msgbox", ""),
        ("//evil.example", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_only_web_addresses_become_links(value, expected):
    from calls.templatetags.portal import external_url

    assert external_url(value) == expected
