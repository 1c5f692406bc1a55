"""Founders see a decision only once they are told it: "Under review" through the lock, then the
offer or the decision e-mail. Organisers see the real status."""

import pytest
from django.urls import reverse

from accounts.models import User
from applications.models import Application
from cohorts.models import RunTrigger
from cohorts.offers import services as offers
from cohorts.shortlist.services import lock_run, run_shortlist
from mail.models import OutboxMessage
from mail.rendering import render_mail
from tests.cohorts.conftest import review, submitted

pytestmark = pytest.mark.django_db

WORDS = {
    "en": {"under_review": "Under review", "offer": "Offer: answer by", "not_selected": "Not selected"},
    "fr": {"under_review": "En cours d’évaluation", "offer": "Offre : réponse avant le", "not_selected": "Non retenue"},
}


@pytest.fixture
def selection(call, reviewers, organiser):
    """Three startups for a cohort of one: shortlisted, waitlisted, not selected once locked."""
    call.cohort_size = 1
    call.save()
    apps = []
    for i, name in enumerate(["Alpha", "Beta", "Gamma"]):
        app = submitted(call, name, minutes=i)
        for reviewer in reviewers:
            review(app, reviewer, 5 - i)
        apps.append(app)
    return call, apps


def seen_by_founder(client, application, language):
    owner = User.objects.get(pk=application.owner_id)
    owner.language = language
    owner.save()
    client.force_login(owner)
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    listing = client.get(reverse("applications:list")).content.decode()
    return detail, listing


def badge(html: str) -> str:
    start = html.index("data-founder-status=")
    return html[html.index(">", start) + 1 : html.index("</span>", start)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_founders_see_under_review_until_they_are_told(
    client, selection, organiser, language, django_capture_on_commit_callbacks
):
    call, apps = selection
    words = WORDS[language]
    run = lock_run(run_shortlist(call, trigger=RunTrigger.ADMIN, by=organiser), by=organiser)
    assert [Application.objects.get(pk=a.pk).status for a in apps] == ["shortlisted", "waitlisted", "rejected"]
    for application in apps:
        detail, listing = seen_by_founder(client, application, language)
        assert badge(detail) == words["under_review"] and badge(listing) == words["under_review"]
        for internal in ("Shortlisted", "Waitlisted", "Not selected", "Présélectionnée", "Non retenue"):
            assert internal not in badge(detail)

    offers.send_offers(call, by=organiser)
    detail, listing = seen_by_founder(client, apps[0], language)
    assert badge(detail).startswith(words["offer"]) and badge(listing).startswith(words["offer"])
    assert ("Paris time" if language == "en" else "heure de Paris") in badge(detail)
    # The waitlisted and the not selected still read "Under review".
    for application in apps[1:]:
        assert badge(seen_by_founder(client, application, language)[0]) == words["under_review"]

    offers.respond(Application.objects.get(pk=apps[0].pk).offer, accept=True, by=apps[0].owner)
    with django_capture_on_commit_callbacks(execute=True):
        offers.start_decisions(call, by=organiser)
    for application in apps[1:]:
        detail, listing = seen_by_founder(client, application, language)
        assert badge(detail) == words["not_selected"] and badge(listing) == words["not_selected"]
    assert run.pk


def test_submitted_reads_submitted_while_open_and_under_review_after(client, selection):
    call, apps = selection
    from django.utils import timezone

    from calls.models import Call

    assert badge(seen_by_founder(client, apps[0], "en")[0]) == "Under review"
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() + timezone.timedelta(days=1),
                                           review_deadline=timezone.now() + timezone.timedelta(days=2))  # fmt: skip
    assert badge(seen_by_founder(client, apps[0], "en")[0]) == "Submitted"


def test_organisers_see_the_real_status_and_emails_say_what_founders_see(client, selection, organiser):
    call, apps = selection
    lock_run(run_shortlist(call, trigger=RunTrigger.ADMIN, by=organiser), by=organiser)
    client.force_login(organiser)
    listing = client.get(reverse("admin:applications_application_changelist")).content.decode()
    assert "Shortlisted" in listing and "Waitlisted" in listing and "Not selected" in listing
    application = Application.objects.get(pk=apps[1].pk)
    context = {"application": application, "call": call, "recipient": application.owner}
    assert render_mail("decision", context, "en") is not None
    from mail.templating import COMMON

    assert COMMON["application_status"][1](context) == "Under review"
    assert not OutboxMessage.objects.filter(kind="decision").exists()
