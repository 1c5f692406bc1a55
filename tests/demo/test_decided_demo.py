"""The demo tells a true story: the 2024 edition is decided with what a decided call has, the open
call has no locked shortlist, and seed_demo survives an organiser's edits."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from applications.models import Application, Status, StatusChange
from calls.models import Call, Criterion
from calls.phases import Phase
from cohorts.models import Offer, OfferStatus, ShortlistRun
from demo.calls import CURRENT_SLUG, PAST_SLUG
from demo.decided import LOCKED_AT
from mail.models import OutboxMessage
from reviews.models import Assignment, Review, ReviewStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo")
    return Call.objects.get(slug=PAST_SLUG), Call.objects.get(slug=CURRENT_SLUG)


def counts():
    return {
        "calls": Call.objects.count(),
        "users": User.objects.count(),
        "applications": Application.objects.count(),
        "assignments": Assignment.objects.count(),
        "reviews": Review.objects.count(),
        "runs": ShortlistRun.objects.count(),
        "offers": Offer.objects.count(),
        "outbox": OutboxMessage.objects.count(),
        "history": StatusChange.objects.count(),
        "criteria": Criterion.objects.count(),
    }


def test_the_2024_edition_is_a_decided_call_with_its_cohort(seeded):
    past, _current = seeded
    assert past.phase == Phase.DECIDED
    run = ShortlistRun.objects.get(call=past, locked_at__isnull=False)
    assert run.locked_at == LOCKED_AT and past.shortlist_locked_at == LOCKED_AT
    assert past.offers_sent_at is not None and past.offers_sent_at < past.decided_at
    applications = Application.objects.filter(call=past)
    assert applications.count() == 9
    # Every application was reviewed three times, before the 2024 review deadline.
    for application in applications:
        submitted = Review.objects.filter(assignment__application=application, status=ReviewStatus.SUBMITTED)
        assert submitted.count() == 3
        assert all(r.submitted_at < past.review_deadline for r in submitted)
    accepted = Offer.objects.filter(call=past, status=OfferStatus.ACCEPTED)
    assert accepted.count() == 5 == past.cohort_size
    assert set(applications.filter(status=Status.ACCEPTED)) == {o.application for o in accepted}
    assert applications.filter(status=Status.REJECTED).count() == 4
    # The e-mails a decided call sent: five offers, five confirmations, four decisions.
    mails = OutboxMessage.objects.filter(to__in=[a.owner.email for a in applications])
    kinds = sorted(mails.values_list("kind", flat=True))
    assert kinds.count("offer") == 5 and kinds.count("offer_accepted") == 5 and kinds.count("decision") == 4
    assert set(mails.filter(kind="decision").values_list("to", flat=True)) == {
        a.owner.email for a in applications.filter(status=Status.REJECTED)
    }
    # Plainly demo data.
    assert all(a.owner.email.endswith("@example.org") and a.website.endswith(".example") for a in applications)
    # Nothing in the story is dated after 2024.
    assert not StatusChange.objects.filter(application__call=past, changed_at__gt=past.decided_at).exists()


def test_the_open_call_has_reviews_but_no_locked_shortlist(seeded):
    _past, current = seeded
    assert current.phase == Phase.OPEN
    assert current.shortlist_locked_at is None
    assert not ShortlistRun.objects.filter(call=current, locked_at__isnull=False).exists()
    assert not Offer.objects.filter(call=current).exists()
    assert Review.objects.filter(call=current, status=ReviewStatus.SUBMITTED).exists()


def test_badge_cohort_lists_and_dashboard_show_the_2024_cohort(seeded, client):
    past, _current = seeded
    home = client.get("/").content.decode()
    assert "Cohort selected" in home
    client.force_login(User.objects.get(email="organiser@example.org"))
    cohort = client.get(reverse("admin:cohorts_call_export_file", args=[past.pk]), {"scope": "cohort", "format": "csv"})
    assert cohort.status_code == 200
    text = b"".join(cohort.streaming_content).decode("utf-8-sig")
    accepted = Application.objects.filter(call=past, status=Status.ACCEPTED)
    assert all(a.startup_name in text for a in accepted)
    assert len(text.strip().splitlines()) == 1 + 5
    dashboard = client.get(reverse("admin:cohorts_call_dashboard", args=[past.pk]))
    assert dashboard.status_code == 200
    page = dashboard.content.decode()
    assert '<th scope="row">Accepted</th><td>5</td>' in page
    assert '<th scope="row">Submitted</th><td>9</td>' in page
    offers = client.get(reverse("admin:cohorts_call_offers", args=[past.pk])).content.decode()
    assert all(a.startup_name in offers for a in accepted)


def test_seed_demo_twice_changes_nothing(seeded):
    before = counts()
    call_command("seed_demo")
    assert counts() == before


def test_seed_demo_survives_renamed_and_edited_demo_objects(seeded):
    past, current = seeded
    # An organiser renames startups, calls, criteria and people, and edits a few settings.
    for application in Application.objects.filter(call__in=[past, current]).exclude(status=Status.DRAFT):
        application.startup_name = f"{application.startup_name} (renamed)"
        application.save(update_fields=["startup_name"])
    Call.objects.filter(pk=current.pk).update(title="Renamed call", summary="Edited", cohort_size=4)
    Call.objects.filter(pk=past.pk).update(title="Renamed 2024 call")
    Criterion.objects.filter(call=current, name="Team").update(name="Founding team")
    reviewer = User.objects.get(email="amira.benali@example.org")
    reviewer.first_name, reviewer.email = "Amira-renamed", "Amira.Benali@Example.org"
    reviewer.save()
    organiser = User.objects.get(email="organiser@example.org")
    organiser.last_name = "Renamed"
    organiser.save()
    before = counts()

    call_command("seed_demo")  # used to raise StopIteration in the review demo

    assert counts() == before
    assert Call.objects.get(pk=current.pk).title == "Renamed call"  # edits are kept
    assert Application.objects.filter(startup_name="Sillon (renamed)").exists()
