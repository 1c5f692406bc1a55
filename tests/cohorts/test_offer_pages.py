import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from applications.models import StatusChange
from cohorts.models import Offer, OfferStatus
from cohorts.offers import services
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import locked_shortlist, organiser

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered():
    call, apps = locked_shortlist()
    offers = services.send_offers(call)
    return call, apps, offers


def test_founder_sees_the_offer_with_its_paris_deadline(client, offered):
    _call, apps, offers = offered
    client.force_login(apps[0].owner)
    response = client.get(reverse("cohorts:offer", args=[offers[0].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "We are delighted to offer" in html and apps[0].startup_name in html
    assert "Paris time" in html and offers[0].respond_by.isoformat() in html
    assert reverse("cohorts:offer_accept", args=[offers[0].pk]) in html


def test_someone_else_gets_a_404_everywhere(client, offered):
    _call, apps, offers = offered
    client.force_login(apps[1].owner)  # another founder with an offer of their own
    for name in ("cohorts:offer", "cohorts:offer_accept", "cohorts:offer_decline"):
        assert client.get(reverse(name, args=[offers[0].pk])).status_code == 404
    response = client.post(reverse("cohorts:offer_decline", args=[offers[0].pk]), {"confirm": "yes"})
    assert response.status_code == 404
    assert Offer.objects.get(pk=offers[0].pk).status == OfferStatus.PENDING
    client.logout()
    assert client.get(reverse("cohorts:offer", args=[offers[0].pk])).status_code == 302  # to the login


def test_confirmation_page_changes_nothing_and_post_needs_the_box_ticked(client, offered):
    _call, apps, offers = offered
    client.force_login(apps[0].owner)
    url = reverse("cohorts:offer_decline", args=[offers[0].pk])
    page = client.get(url)
    assert page.status_code == 200 and "Declining is final" in page.content.decode()
    assert Offer.objects.get(pk=offers[0].pk).status == OfferStatus.PENDING
    refused = client.post(url, {})
    assert refused.status_code == 400 and "tick the box" in refused.content.decode()
    assert Offer.objects.get(pk=offers[0].pk).status == OfferStatus.PENDING


def test_accept_then_click_again_changes_nothing(client, offered):
    _call, apps, offers = offered
    client.force_login(apps[0].owner)
    url = reverse("cohorts:offer_accept", args=[offers[0].pk])
    response = client.post(url, {"confirm": "yes"}, follow=True)
    assert "Welcome to the programme" in response.content.decode()
    again = client.post(reverse("cohorts:offer_decline", args=[offers[0].pk]), {"confirm": "yes"}, follow=True)
    assert "already accepted" in again.content.decode()
    assert Offer.objects.get(pk=offers[0].pk).status == OfferStatus.ACCEPTED
    assert StatusChange.objects.filter(application=apps[0], from_status="offered").count() == 1
    # once answered, the confirmation page sends the founder back to the offer
    assert client.get(url).status_code == 302


def test_decline_from_the_page_promotes_the_waitlist(client, offered):
    _call, apps, offers = offered
    client.force_login(apps[2].owner)
    client.post(reverse("cohorts:offer_decline", args=[offers[2].pk]), {"confirm": "yes"})
    assert Offer.objects.get(application=apps[5]).status == OfferStatus.PENDING


def test_offer_panel_include_for_the_application_page(offered):
    _call, apps, offers = offered
    html = render_to_string("cohorts/includes/offer_panel.html", {"application": apps[0]})
    assert "Your offer" in html and "Accept the offer" in html
    services.respond(offers[0], accept=False, by=apps[0].owner)
    apps[0].refresh_from_db()
    html = render_to_string("cohorts/includes/offer_panel.html", {"application": apps[0]})
    assert "You declined the offer" in html and "Accept the offer" not in html
    # an application without an offer renders nothing
    assert render_to_string("cohorts/includes/offer_panel.html", {"application": apps[7]}).strip() == ""


def test_panel_in_french(client, offered):
    _call, apps, offers = offered
    owner = apps[0].owner
    owner.language = "fr"  # a signed-in founder sees the portal in their account's language
    owner.save(update_fields=["language"])
    client.force_login(owner)
    response = client.get(reverse("cohorts:offer", args=[offers[0].pk]))
    assert "Votre offre" in response.content.decode()


def test_late_answer_from_the_page_is_refused(client, offered):
    _call, apps, offers = offered
    Offer.objects.filter(pk=offers[0].pk).update(respond_by=timezone.now() - dt.timedelta(minutes=5))
    client.force_login(apps[0].owner)
    response = client.post(reverse("cohorts:offer_accept", args=[offers[0].pk]), {"confirm": "yes"}, follow=True)
    assert "has passed" in response.content.decode()
    assert Offer.objects.get(pk=offers[0].pk).status == OfferStatus.EXPIRED


def test_organiser_offers_page_and_buttons(client):
    call, apps = locked_shortlist()
    boss = organiser()
    client.force_login(boss)
    page = client.get(reverse("admin:cohorts_call_offers", args=[call.pk]))
    assert page.status_code == 200 and "Send offers for the 5 free seats" in page.content.decode()
    client.post(reverse("admin:cohorts_call_send_offers", args=[call.pk]))
    assert Offer.objects.filter(call=call).count() == 5
    offer = Offer.objects.get(application=apps[0])
    confirm = client.get(reverse("admin:cohorts_offer_withdraw", args=[offer.pk]))
    assert confirm.status_code == 200 and Offer.objects.get(pk=offer.pk).status == "pending"
    client.post(reverse("admin:cohorts_offer_withdraw", args=[offer.pk]), {"reason": "Duplicate"})
    assert Offer.objects.get(pk=offer.pk).status == "withdrawn"
    assert Offer.objects.get(application=apps[5]).status == "pending"
    # the calls list action does the same (nothing left to do here: the cohort is full); model
    # permissions on calls come with the Organisers group's setup, a superuser has them all
    client.force_login(organiser(is_superuser=True))
    response = client.post(
        reverse("admin:calls_call_changelist"),
        {"action": "send_offers_action", "_selected_action": [call.pk]},
        follow=True,
    )
    assert "No offer to send" in response.content.decode()


def test_only_organisers_reach_the_offer_admin(client):
    call, _apps = locked_shortlist()
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:cohorts_call_offers", args=[call.pk])).status_code == 403
    assert client.post(reverse("admin:cohorts_call_send_offers", args=[call.pk])).status_code == 403
    assert not Offer.objects.exists()


def test_application_page_shows_the_offer_and_how_to_answer(client, offered):
    _call, apps, offers = offered
    client.force_login(apps[0].owner)
    html = client.get(reverse("applications:detail", args=[apps[0].pk])).content.decode()
    assert "Your offer" in html
    assert reverse("cohorts:offer_accept", args=[offers[0].pk]) in html
    assert reverse("cohorts:offer_decline", args=[offers[0].pk]) in html
