"""Irreversible organiser actions: GET shows what will happen and to whom, POST (with CSRF) does
it, a second POST does nothing new."""

import pytest
from django.urls import reverse

from accounts.models import User
from cohorts.models import Offer, OfferStatus
from cohorts.offers import services
from mail.models import OutboxMessage
from tests.factories.cohorts import locked_shortlist, organiser

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(client):
    user = organiser()
    client.force_login(user)
    return user


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_send_offers_confirmation_names_startups_languages_and_deadline(client, boss):
    call, apps = locked_shortlist(shortlisted=2, waitlisted=1, ranked=1, language="fr")
    User.objects.filter(pk=apps[1].owner_id).update(language="en")
    call.cohort_size = 2
    call.save()
    url = reverse("admin:cohorts_call_send_offers", args=[call.pk])
    page = client.get(url).content.decode()
    assert not Offer.objects.exists()
    assert "2 e-mails will be sent now, one offer to each of these startups" in page
    assert apps[0].startup_name in page and apps[1].startup_name in page and apps[2].startup_name not in page
    assert apps[0].owner.email in page
    assert "1 in English" in page and "1 in French" in page
    assert "Founders must answer by" in page and "Paris time" in page
    assert 'name="csrfmiddlewaretoken"' in page

    response = client.post(url, follow=True)
    assert "2 offers sent" in messages_of(response)
    assert sorted(Offer.objects.values_list("application_id", flat=True)) == [apps[0].pk, apps[1].pk]
    assert OutboxMessage.objects.filter(kind="offer").count() == 2
    # A second POST sends nothing new, and the page now says there is nothing to send.
    again = client.post(url, follow=True)
    assert "No offer to send" in messages_of(again)
    assert Offer.objects.count() == 2 and OutboxMessage.objects.filter(kind="offer").count() == 2
    assert "No offer to send: every seat is taken" in client.get(url).content.decode()


def test_the_calls_list_action_leads_to_the_confirmation_page(client):
    call, _apps = locked_shortlist()
    client.force_login(organiser(is_superuser=True))
    response = client.post(
        reverse("admin:calls_call_changelist"), {"action": "send_offers_action", "_selected_action": [call.pk]}
    )
    assert response.status_code == 302 and response.url == reverse("admin:cohorts_call_send_offers", args=[call.pk])
    assert not Offer.objects.exists()


def test_decision_email_confirmation_counts_recipients_by_language(client, boss, django_capture_on_commit_callbacks):
    call, apps = locked_shortlist(shortlisted=5, waitlisted=1, ranked=2, language="fr")
    User.objects.filter(pk=apps[7].owner_id).update(language="en")
    url = reverse("admin:cohorts_call_send_decisions", args=[call.pk])
    offers = services.send_offers(call)
    assert "Some offers are still waiting for an answer." in client.get(url).content.decode()
    for offer in offers:
        services.respond(offer, accept=True, by=offer.application.owner)
    page = client.get(url).content.decode()
    assert "3 e-mails will be sent, once each" in page
    assert "2 in French" in page and "1 in English" in page
    for application in apps[5:]:
        assert application.startup_name in page
    assert not OutboxMessage.objects.filter(kind="decision").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "being sent to 3 unsuccessful applicants" in messages_of(response)
    assert OutboxMessage.objects.filter(kind="decision").count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, follow=True)
    assert "nothing new was sent" in messages_of(again)
    assert OutboxMessage.objects.filter(kind="decision").count() == 3
    assert "there is nothing to send" in client.get(url).content.decode()


def test_withdraw_confirmation_says_who_is_told_and_who_is_offered_next(client, boss):
    call, apps = locked_shortlist(language="fr")
    offers = services.send_offers(call)
    url = reverse("admin:cohorts_offer_withdraw", args=[offers[0].pk])
    page = client.get(url).content.decode()
    assert f"One e-mail is sent, to {apps[0].owner.email}, in French." in page
    assert f"The seat is then offered to {apps[5].startup_name}" in page
    assert Offer.objects.get(pk=offers[0].pk).status == OfferStatus.PENDING
    client.post(url, {"reason": "Not eligible after all"})
    assert Offer.objects.get(pk=offers[0].pk).status == OfferStatus.WITHDRAWN
    count = Offer.objects.count()
    again = client.post(url, {"reason": "again"}, follow=True)
    assert "Only a pending or accepted offer can be withdrawn." in messages_of(again)
    assert Offer.objects.count() == count


def test_confirmation_posts_need_csrf(boss):
    from django.test import Client

    call, _apps = locked_shortlist()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(boss)
    assert strict.post(reverse("admin:cohorts_call_send_offers", args=[call.pk])).status_code == 403
    assert not Offer.objects.exists()
