"""The 2024 edition's story: a decided call with what a decided call has.

Nine fictional startups (plainly demo data: example.org founders, .example websites) applied
before the 16 August 2024 deadline; every one got its three reviews before the review deadline;
the organiser ran and locked the shortlist; five offers went out and were accepted; the others
received the decision e-mail. Everything goes through the portal's own services, so the statuses,
history, outbox and dashboard are those the portal itself writes; then the moments are moved back
to 2024, where the story happened.

Told once: a call that already has a locked shortlist is left as it is (an organiser may have
edited it since).
"""

import datetime as dt
import zoneinfo

from django.db import transaction
from django.db.models import F, OuterRef, Subquery

from applications.models import Application, Status, StatusChange
from cohorts.models import Offer, RunTrigger, ShortlistRun
from cohorts.offers import services as offers
from cohorts.shortlist.services import lock_run, run_shortlist
from demo.reviews import _more, _scores, demo_applications, demo_reviewers
from reviews import services as reviews
from reviews.models import Assignment, AssignmentState, Review

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _paris(*args):
    return dt.datetime(*args, tzinfo=PARIS)


STARTUPS_2024 = [
    _more(
        ("elsa.moreau@example.org", "Elsa", "Moreau", "fr"),
        "Brise Énergie",
        "FR",
        "Nantes",
        "revenue",
        ["llama", "mistral"],
        ("Wind farm technicians read hundreds of pages of manuals.", "A maintenance assistant on the tablet."),
        "Wind farm operators in France and Spain.",
        5,
        team_size=8,
        gpu=900,
    ),
    _more(
        ("lukas.hofer@example.org", "Lukas", "Hofer", "en"),
        "Alpenlog",
        "AT",
        "Innsbruck",
        "mvp",
        ["llama"],
        ("Alpine freight planning is done by phone.", "Route and load planning from e-mails and calls."),
        "Freight forwarders in Austria and Switzerland.",
        5,
        gpu=700,
    ),
    _more(
        ("irene.vlachou@example.org", "Irene", "Vlachou", "en"),
        "Agora Docs",
        "GR",
        "Athens",
        "mvp",
        ["llama", "qwen"],
        ("Greek public tenders are long and scattered.", "Search and summaries of tenders in Greek."),
        "SMEs bidding for public contracts in Greece and Cyprus.",
        4,
    ),
    _more(
        ("oskar.berg@example.org", "Oskar", "Berg", "en"),
        "Norrsken Health",
        "SE",
        "Malmö",
        "revenue",
        ["llama"],
        ("Swedish GPs spend evenings on referral letters.", "Referral letters drafted from the consultation."),
        "Primary care clinics in Sweden.",
        4,
        team_size=7,
        gpu=1000,
    ),
    _more(
        ("chiara.esposito@example.org", "Chiara", "Esposito", "en"),
        "Mosaico AI",
        "IT",
        "Naples",
        "prototype",
        ["gemma", "llama"],
        ("Museums cannot describe their collections in many languages.", "Multilingual catalogue entries."),
        "Museums and archives in Italy.",
        4,
    ),
    _more(
        ("radu.ionescu@example.org", "Radu", "Ionescu", "en"),
        "Carpat Code",
        "RO",
        "Cluj-Napoca",
        "mvp",
        ["deepseek", "llama"],
        ("Outsourcing teams rewrite the same tests by hand.", "Test generation for legacy Java services."),
        "Software outsourcing firms in Romania.",
        3,
    ),
    _more(
        ("maeve.byrne@example.org", "Maeve", "Byrne", "en"),
        "Currach Legal",
        "IE",
        "Galway",
        "prototype",
        ["mistral"],
        ("Irish small landlords misread tenancy rules.", "Plain answers on tenancy law, with sources."),
        "Small landlords and tenants in Ireland.",
        3,
    ),
    _more(
        ("jakub.novak@example.org", "Jakub", "Novák", "en"),
        "Vltava Speech",
        "CZ",
        "Prague",
        "idea",
        ["llama", "other"],
        ("Czech call centres lack speech analytics.", "Call summaries and quality checks in Czech."),
        "Call centres in Czechia and Slovakia.",
        2,
    ),
    _more(
        ("ana.kovac@example.org", "Ana", "Kovač", "en"),
        "Jadran Maps",
        "HR",
        "Split",
        "idea",
        ["qwen"],
        ("Tourist boats plan routes on paper charts.", "A route assistant from charts and weather."),
        "Boat rental companies on the Adriatic.",
        2,
    ),
]

# When each step happened, in Paris time.
SUBMITTED_FROM = _paris(2024, 8, 5, 10, 0)
REVIEWED_FROM = _paris(2024, 8, 19, 9, 0)
LOCKED_AT = _paris(2024, 8, 30, 19, 0)
OFFERS_SENT_AT = _paris(2024, 8, 30, 19, 30)
ANSWERED_AT = _paris(2024, 8, 31, 9, 0)


def seed_decided_call(call, accounts) -> dict:
    """Tell the 2024 edition's story on `call`, once. Returns what was done."""
    if ShortlistRun.objects.filter(call=call, locked_at__isnull=False).exists():
        return {"told": False, "applications": 0, "reviews": 0, "offers": 0}
    organiser = accounts["organiser"][0]
    with transaction.atomic():
        harshness = demo_reviewers(accounts)
        applications = demo_applications(
            call, STARTUPS_2024, lambda index: SUBMITTED_FROM + dt.timedelta(days=index, hours=index)
        )
        reviews.assign_reviewers(call, by=organiser, seed=2024)
        written = _review_everything(call, {a.pk: q for a, q in applications.items()}, harshness)
        run = run_shortlist(call, trigger=RunTrigger.COMMAND, by=organiser)
        lock_run(run, by=organiser)
        made = offers.send_offers(call, by=organiser)
        for offer in made:
            offers.respond(offer, accept=True, by=offer.application.owner)
        while offers.send_decisions_batch(call.pk, by=organiser):
            pass
        _back_to_2024(call, run)
    return {"told": True, "applications": len(applications), "reviews": written, "offers": len(made)}


def _review_everything(call, quality: dict[int, int], harshness: dict[int, int]) -> int:
    """Every active assignment gets a submitted review, before the 2024 review deadline."""
    criteria = list(call.criteria.order_by("order", "id"))
    assignments = (
        Assignment.objects.filter(application_id__in=list(quality), state=AssignmentState.ACTIVE)
        .exclude(review__status="submitted")
        .select_related("reviewer", "application")
        .order_by("application_id", "reviewer_id")
    )
    written = 0
    for index, assignment in enumerate(assignments):
        scores = _scores(
            criteria,
            quality[assignment.application_id],
            harshness.get(assignment.reviewer_id, 0),
            spread=-1 if index % 3 == 0 else 0,
        )
        mean = sum(scores.values()) / len(scores)
        recommendation = "strong_yes" if mean >= 4.5 else "yes" if mean >= 3.5 else "maybe" if mean >= 2.5 else "no"
        reviews.save_review(
            assignment,
            by=assignment.reviewer,
            scores=scores,
            recommendation=recommendation,
            confidence=2 + index % 2,
            comments=f"Demo review of {assignment.application.startup_name} (2024 edition).",
            submit=True,
            now=REVIEWED_FROM + dt.timedelta(hours=5 * index),
        )
        written += 1
    return written


def _back_to_2024(call, run) -> None:
    """The services wrote today's date on each step; the story happened in August 2024."""
    ShortlistRun.objects.filter(pk=run.pk).update(created_at=LOCKED_AT - dt.timedelta(hours=1), locked_at=LOCKED_AT)
    Offer.objects.filter(call=call).update(
        offered_at=OFFERS_SENT_AT, respond_by=OFFERS_SENT_AT + dt.timedelta(days=7), responded_at=ANSWERED_AT
    )
    type(call).objects.filter(pk=call.pk).update(shortlist_locked_at=LOCKED_AT, offers_sent_at=OFFERS_SENT_AT)
    moments = {
        Status.SHORTLISTED: LOCKED_AT,
        Status.WAITLISTED: LOCKED_AT,
        Status.OFFERED: OFFERS_SENT_AT,
        Status.ACCEPTED: ANSWERED_AT,
    }
    Application.objects.filter(call=call).update(
        created_at=F("submitted_at") - dt.timedelta(days=3), updated_at=call.decided_at or ANSWERED_AT
    )
    Assignment.objects.filter(application__call=call).update(created_at=REVIEWED_FROM - dt.timedelta(days=1))
    Review.objects.filter(call=call).update(created_at=F("submitted_at"), updated_at=F("submitted_at"))
    submitted_at = Application.objects.filter(pk=OuterRef("application_id")).values("submitted_at")
    StatusChange.objects.filter(application__call=call, to_status=Status.SUBMITTED).update(
        changed_at=Subquery(submitted_at)
    )
    history = StatusChange.objects.filter(application__call=call).exclude(to_status=Status.SUBMITTED)
    for status, moment in moments.items():
        history.filter(to_status=status).update(changed_at=moment)
    # Ranked below: not selected when the shortlist was locked; the waitlist: by the decision e-mail.
    rejected = history.filter(to_status=Status.REJECTED)
    rejected.exclude(from_status=Status.WAITLISTED).update(changed_at=LOCKED_AT)
    rejected.filter(from_status=Status.WAITLISTED).update(changed_at=call.decided_at or ANSWERED_AT)
