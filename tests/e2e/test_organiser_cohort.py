"""An organiser runs and locks the shortlist, sends the offers and downloads the cohort list, in the admin."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from accounts.roles import ORGANISERS
from applications.models import Status
from cohorts.models import Offer, OfferStatus
from cohorts.offers import services as offers
from tests.e2e.checks import assert_page_is_clean
from tests.e2e.helpers import admin_sign_in
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory, TeamMemberFactory
from tests.factories.calls import CallFactory
from tests.factories.reviews import AssignmentFactory, ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Seven reviewed applications for five seats: A..E are shortlisted, F and G wait.
STARTUPS = {"Alpha": 4.8, "Bravo": 4.6, "Charlie": 4.4, "Delta": 4.2, "Echo": 4.0, "Foxtrot": 3.8, "Golf": 3.6}


@pytest.fixture
def reviewed_call():
    """A call whose review deadline passed yesterday, every application reviewed (set up directly)."""
    now = timezone.now()
    call = CallFactory(
        title="Open models 2026",
        opens_at=now - dt.timedelta(days=40),
        closes_at=now - dt.timedelta(days=10),
        review_deadline=now - dt.timedelta(days=1),
        cohort_size=5,
        min_reviews=1,
    )
    for name, score in STARTUPS.items():
        owner = UserFactory(first_name=name)
        application = ApplicationFactory(call=call, owner=owner, startup_name=name, submitted=True)
        TeamMemberFactory(application=application, name=owner.get_full_name(), email=owner.email)
        ReviewFactory(assignment=AssignmentFactory(application=application), weighted_score=score)
    return call


def test_organiser_locks_the_shortlist_sends_offers_and_downloads_the_cohort(page, reviewed_call):
    call = reviewed_call
    organiser = UserFactory(is_staff=True, username="organiser@example.org")
    organiser.groups.add(Group.objects.get(name=ORGANISERS))
    admin_sign_in(page, organiser)

    # Run the shortlist from the list of calls (admin action), then lock it.
    page.goto("/admin/calls/call/")
    page.locator("#result_list tbody tr").filter(has_text=call.title).locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Run the shortlist")
    page.get_by_role("button", name="Go").first.click()
    page.wait_for_url("**/admin/cohorts/shortlistrun/*/change/")
    assert_page_is_clean(page)
    page.get_by_role("link", name="Lock this shortlist…").click()
    page.wait_for_url("**/lock/")
    assert page.locator("#content-main ol").first.locator("li").all_inner_texts()[0].startswith("Alpha")
    page.get_by_role("button", name="Yes, lock the shortlist").click()
    page.get_by_text("The shortlist is locked and the applications' statuses are set.").wait_for()
    assert_page_is_clean(page)
    assert set(call.applications.filter(status=Status.SHORTLISTED).values_list("startup_name", flat=True)) == {
        "Alpha",
        "Bravo",
        "Charlie",
        "Delta",
        "Echo",
    }

    # Offers: one per seat, to the shortlist in rank order, one e-mail each.
    mail.outbox.clear()
    page.goto(f"/admin/calls/call/{call.pk}/change/")
    page.locator(".object-tools").get_by_role("link", name="Offers", exact=True).click()
    page.get_by_role("link", name="Send offers for the 5 free seats…").click()
    page.get_by_text("5 e-mails will be sent now").wait_for()
    assert not Offer.objects.filter(call=call).exists()
    page.get_by_role("button", name="Yes, send the offers").click()
    page.get_by_text("5 offers sent for Open models 2026").wait_for()
    assert_page_is_clean(page)
    offered = Offer.objects.filter(call=call).select_related("application")
    assert sorted(o.application.startup_name for o in offered) == ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
    assert len(mail.outbox) == 5

    # Two founders accept (their side is tested elsewhere); the cohort list holds exactly them.
    for offer in offered.filter(application__startup_name__in=["Alpha", "Charlie"]):
        offers.respond(offer, accept=True, by=offer.application.owner)
    page.goto(f"/admin/calls/call/{call.pk}/change/")
    page.locator(".object-tools").get_by_role("link", name="Cohort lists").click()
    with page.expect_download() as download:
        page.locator("a[href$='scope=cohort&format=csv']").click()
    content = download.value.path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    name_column = header.index("Startup")
    assert sorted(row[name_column] for row in body) == ["Alpha", "Charlie"]
    assert download.value.suggested_filename.endswith(".csv")
    assert Offer.objects.filter(call=call, status=OfferStatus.ACCEPTED).count() == 2
    assert_page_is_clean(page)
