import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from applications.models import StatusChange
from cohorts.models import Offer, OfferStatus
from cohorts.offers import selectors, services
from mail.models import OutboxMessage
from tests.cohorts.conftest import assert_cohort_within_size
from tests.factories.cohorts import closed_call, locked_shortlist, organiser

pytestmark = pytest.mark.django_db


def statuses(apps):
    for app in apps:
        app.refresh_from_db()
    return [app.status for app in apps]


def test_send_offers_to_the_shortlist_once_with_mail_in_the_founders_language(django_capture_on_commit_callbacks):
    call, apps = locked_shortlist(language="fr")
    boss = organiser()
    with django_capture_on_commit_callbacks(execute=True):
        made = services.send_offers(call, by=boss)
    assert [o.application_id for o in made] == [a.pk for a in apps[:5]]
    assert sorted(o.seat for o in made) == [1, 2, 3, 4, 5]
    assert statuses(apps)[:6] == ["offered"] * 5 + ["waitlisted"]
    assert len(mail.outbox) == 5
    assert mail.outbox[0].subject.startswith("Une offre")
    assert apps[0].startup_name in mail.outbox[0].body
    # answer by the end of the day, offer_response_days from now, in Paris
    respond_by = timezone.localtime(made[0].respond_by, zoneinfo.ZoneInfo("Europe/Paris"))
    today = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo("Europe/Paris")).date()
    assert respond_by.date() == today + dt.timedelta(days=call.offer_response_days)
    assert (respond_by.hour, respond_by.minute) == (23, 59)
    # who did it is recorded
    change = StatusChange.objects.get(application=apps[0], to_status="offered")
    assert change.changed_by == boss and change.from_status == "shortlisted"

    # A second click sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_offers(call, by=boss) == []
    assert len(mail.outbox) == 5
    assert Offer.objects.count() == 5
    assert_cohort_within_size(call)


def test_offers_need_a_locked_shortlist():
    call = closed_call()
    with pytest.raises(services.OfferError, match="Lock the shortlist"):
        services.send_offers(call)


def test_accept_is_recorded_and_a_second_click_changes_nothing():
    call, apps = locked_shortlist()
    offer = services.send_offers(call)[0]
    founder = apps[0].owner
    offer, outcome = services.respond(offer, accept=True, by=founder)
    assert outcome == "accepted" and offer.status == OfferStatus.ACCEPTED and offer.responded_at
    assert statuses([apps[0]]) == ["accepted"]
    again, outcome = services.respond(offer, accept=False, by=founder)
    assert outcome == "unchanged" and again.status == OfferStatus.ACCEPTED
    assert StatusChange.objects.filter(application=apps[0], to_status="accepted", changed_by=founder).count() == 1
    assert not StatusChange.objects.filter(application=apps[0], to_status="declined").exists()
    assert OutboxMessage.objects.filter(kind="offer_accepted", to=founder.email).count() == 1


def test_decline_offers_the_seat_to_the_next_waitlisted_startup():
    call, apps = locked_shortlist()
    offers = services.send_offers(call)
    _offer, outcome = services.respond(offers[1], accept=False, by=apps[1].owner)
    assert outcome == "declined"
    after = ["offered", "declined", "offered", "offered", "offered", "offered", "waitlisted", "waitlisted"]
    assert statuses(apps)[:8] == after
    promoted = Offer.objects.get(application=apps[5])
    assert promoted.seat == offers[1].seat and promoted.status == OfferStatus.PENDING
    assert OutboxMessage.objects.filter(kind="offer", to=apps[5].owner.email).count() == 1
    assert StatusChange.objects.get(application=apps[5], to_status="offered").from_status == "waitlisted"
    assert_cohort_within_size(call)


def test_expired_offers_are_swept_and_the_waitlist_fills_the_cohort():
    call, apps = locked_shortlist(waitlisted=3)
    offers = services.send_offers(call)
    Offer.objects.filter(pk__in=[offers[0].pk, offers[2].pk]).update(respond_by=timezone.now() - dt.timedelta(hours=1))
    assert services.expire_overdue() == 2
    assert services.expire_overdue() == 0  # a second sweep changes nothing
    assert Offer.objects.get(pk=offers[0].pk).status == OfferStatus.EXPIRED
    assert statuses([apps[0], apps[2]]) == ["declined", "declined"]
    assert StatusChange.objects.get(application=apps[0], to_status="declined").note.startswith("Offer expired")
    assert set(Offer.objects.filter(status="pending").values_list("application_id", flat=True)) == {
        apps[1].pk,
        apps[3].pk,
        apps[4].pk,
        apps[5].pk,
        apps[6].pk,
    }
    assert OutboxMessage.objects.filter(kind="offer_expired").count() == 2
    assert_cohort_within_size(call)


def test_the_beat_sweep_expires_overdue_offers():
    from reminders.tasks import sweep

    call, _apps = locked_shortlist()
    offer = services.send_offers(call)[0]
    Offer.objects.filter(pk=offer.pk).update(respond_by=timezone.now() - dt.timedelta(minutes=1))
    assert sweep.delay().get()["expired_offers"] == 1
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED


def test_an_answer_after_the_deadline_expires_the_offer():
    call, apps = locked_shortlist()
    offer = services.send_offers(call)[0]
    Offer.objects.filter(pk=offer.pk).update(respond_by=timezone.now() - dt.timedelta(minutes=1))
    offer.refresh_from_db()
    offer, outcome = services.respond(offer, accept=True, by=apps[0].owner)
    assert outcome == "too_late" and offer.status == OfferStatus.EXPIRED
    assert Offer.objects.get(application=apps[5]).status == OfferStatus.PENDING


def test_cohort_never_goes_over_five_through_a_whole_selection():
    call, apps = locked_shortlist(shortlisted=5, waitlisted=6)
    offers = {o.application_id: o for o in services.send_offers(call)}
    assert_cohort_within_size(call)
    for app in apps[:3]:
        services.respond(offers[app.pk], accept=False, by=app.owner)
        assert_cohort_within_size(call)
    for offer in Offer.objects.filter(status="pending"):
        services.respond(offer, accept=True, by=offer.application.owner)
        assert_cohort_within_size(call)
    assert Offer.objects.filter(call=call, status="accepted").count() == 5
    assert services.send_offers(call) == []  # a full cohort gets no more offers
    state = selectors.cohort_state(call)
    assert state["full"] and state["complete"] and state["candidates_left"] == 3


def test_the_database_refuses_a_sixth_active_seat():
    from django.db import IntegrityError, transaction

    call, apps = locked_shortlist()
    offers = services.send_offers(call)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(application=apps[5], call=call, seat=offers[0].seat, respond_by=timezone.now())


def test_withdrawal_by_organisers_promotes_and_is_recorded():
    call, apps = locked_shortlist()
    boss = organiser()
    offers = services.send_offers(call, by=boss)
    services.respond(offers[0], accept=True, by=apps[0].owner)
    _offer, promoted = services.withdraw(offers[0], by=boss, reason="Not incorporated in the EU.")
    assert [o.application_id for o in promoted] == [apps[5].pk]
    change = StatusChange.objects.get(application=apps[0], to_status="rejected")
    assert change.changed_by == boss and "Not incorporated" in change.note
    assert OutboxMessage.objects.filter(kind="offer_withdrawn", to=apps[0].owner.email).exists()
    with pytest.raises(services.OfferError):
        services.withdraw(offers[0], by=boss)
    assert_cohort_within_size(call)


def test_waitlist_exhausted_leaves_seats_empty_and_cohort_complete():
    call, apps = locked_shortlist(shortlisted=5, waitlisted=1, ranked=0)
    offers = services.send_offers(call)
    services.respond(offers[0], accept=False, by=apps[0].owner)
    services.respond(offers[1], accept=False, by=apps[1].owner)  # nobody left to promote
    assert Offer.objects.filter(status="pending").count() == 4
    for offer in Offer.objects.filter(status="pending"):
        services.respond(offer, accept=True, by=offer.application.owner)
    state = selectors.cohort_state(call)
    assert state["accepted"] == 4 and state["complete"] and not state["full"]


def test_decision_emails_wait_for_a_complete_cohort_and_go_out_once(django_capture_on_commit_callbacks):
    call, apps = locked_shortlist(shortlisted=5, waitlisted=2, ranked=2)
    offers = services.send_offers(call)
    with pytest.raises(services.OfferError, match="waiting for an answer"):
        services.start_decisions(call)
    for offer in offers:
        services.respond(offer, accept=True, by=offer.application.owner)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.start_decisions(call) == 4
    decisions = OutboxMessage.objects.filter(kind="decision")
    assert sorted(decisions.values_list("to", flat=True)) == sorted(a.owner.email for a in apps[5:])
    assert statuses(apps[5:]) == ["rejected"] * 4
    call.refresh_from_db()
    assert call.decided_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert services.start_decisions(call) == 0  # organisers click again: nobody new
    assert OutboxMessage.objects.filter(kind="decision").count() == 4
    assert StatusChange.objects.filter(application=apps[5], to_status="rejected").count() == 1
