import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from applications.answers import SECTIONS
from applications.models import Application, Membership, StatusChange
from applications.services.errors import DeadlinePassed
from applications.services.submission import submit_application
from mail.models import OutboxMessage
from tests.applications.helpers import complete, post_data, url
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_submit_page_lists_every_missing_field_section_by_section(client, draft):
    client.force_login(draft.owner)
    response = client.post(url("submit", draft))
    assert response.status_code == 400
    html = response.content.decode()
    assert "7 sections are not complete yet" in html
    for part in SECTIONS:
        assert f"#section-{part.key}" in html
        assert str(part.title) in html
        for answer in part.answers:
            if answer.needed(draft):
                assert answer.noun[0].upper() + answer.noun[1:] in html, answer.noun
    assert "At least one founder or team member" in html
    assert "Pitch deck" in html
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_submit_lists_only_what_is_left(client, draft):
    complete(draft)
    draft.hub_usage = ""
    draft.accuracy_declaration = False
    draft.save()
    client.force_login(draft.owner)
    html = client.get(url("submit", draft)).content.decode()
    missing = html[html.index('id="missing"') : html.index("Complete the application")]
    assert "2 sections are not complete yet" in missing
    assert "How you use the Hugging Face Hub" in missing and "The information is accurate" in missing
    assert "Startup name" not in missing


def test_ineligible_country_is_listed(client, draft):
    complete(draft)
    draft.country = "US"
    draft.save()
    client.force_login(draft.owner)
    html = client.post(url("submit", draft)).content.decode()
    assert "United States of America is not eligible for this call" in html


def test_complete_application_submits_and_mails_every_founder_once(client, draft, django_capture_on_commit_callbacks):
    complete(draft)
    co_founder = UserFactory(language="fr", first_name="Chloé")
    draft.memberships.create(user=co_founder, call=draft.call)
    client.force_login(draft.owner)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url("submit", draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.submitted_at is not None
    assert StatusChange.objects.get(application=draft).to_status == "submitted"
    # Delivered only after the commit, one e-mail per founder, each in their language.
    assert len(callbacks) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([draft.owner.email, co_founder.email])
    french = OutboxMessage.objects.get(to=co_founder.email)
    assert french.language == "fr" and "Candidature envoyée" in french.subject
    english = OutboxMessage.objects.get(to=draft.owner.email)
    assert "Application submitted" in english.subject and "Paris time" in english.body
    assert all(m.status == "sent" for m in OutboxMessage.objects.all())
    page = client.get(response["Location"]).content.decode()
    assert "Your application is submitted" in page


def test_no_mail_leaves_before_the_transaction_commits(client, draft, django_capture_on_commit_callbacks):
    complete(draft)
    client.force_login(draft.owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url("submit", draft))
    assert OutboxMessage.objects.count() == 1  # written with the submit
    assert mail.outbox == []  # but not sent until the commit
    assert len(callbacks) == 1


def test_double_submit_submits_once_and_mails_once(client, draft, django_capture_on_commit_callbacks):
    complete(draft)
    client.force_login(draft.owner)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url("submit", draft))
        second = client.post(url("submit", draft), follow=True)
    assert first.status_code == 302
    assert "already submitted" in second.content.decode()
    assert StatusChange.objects.filter(application=draft).count() == 1
    assert OutboxMessage.objects.count() == 1 and len(mail.outbox) == 1


def test_submit_service_is_idempotent(draft):
    complete(draft)
    _app, first = submit_application(draft.pk, by=draft.owner)
    _app, second = submit_application(draft.pk, by=draft.owner)
    assert (first, second) == (True, False)


def test_deadline_just_before_is_accepted(client, draft):
    complete(draft)
    with time_machine.travel(draft.call.closes_at - dt.timedelta(microseconds=1), tick=False):
        client.force_login(draft.owner)  # logged in at that time, so the session is fresh
        response = client.post(url("submit", draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.submitted_at == draft.call.closes_at - dt.timedelta(microseconds=1)


@pytest.mark.parametrize("after", [dt.timedelta(0), dt.timedelta(microseconds=1), dt.timedelta(hours=1)])
def test_deadline_at_or_after_is_refused_and_the_draft_kept(client, draft, after):
    complete(draft)
    before = Application.objects.values().get(pk=draft.pk)
    with time_machine.travel(draft.call.closes_at + after, tick=False):
        client.force_login(draft.owner)
        response = client.post(url("submit", draft), follow=True)
    html = response.content.decode()
    assert "The deadline" in html and "has passed, so the application was not submitted" in html
    assert "Your draft is kept" in html and "Paris time" in html
    assert Application.objects.values().get(pk=draft.pk) == before
    assert not OutboxMessage.objects.exists()


def test_service_checks_the_deadline_at_the_instant_given(draft):
    complete(draft)
    with pytest.raises(DeadlinePassed):
        submit_application(draft.pk, by=draft.owner, now=draft.call.closes_at)


def test_only_the_owner_submits(client, draft):
    complete(draft)
    co_founder = UserFactory()
    draft.memberships.create(user=co_founder, call=draft.call)
    client.force_login(co_founder)
    html = client.get(url("submit", draft)).content.decode()
    assert "can submit it" in html and "Submit my application" not in html
    response = client.post(url("submit", draft), follow=True)
    assert "Only the person who started the application can submit it." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_submitted_application_stays_editable_until_the_deadline_and_complete(client, draft):
    complete(draft)
    submit_application(draft.pk, by=draft.owner)
    draft.refresh_from_db()
    client.force_login(draft.owner)
    # A change that keeps it complete is saved.
    response = client.post(url("edit", draft), post_data(draft, city="Marseille"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.city == "Marseille" and draft.status == "submitted"
    # A change that would leave a hole is refused as a whole, with the input shown back.
    response = client.post(url("edit", draft), post_data(draft, city="Toulouse", problem=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "must stay complete" in html and "problem" in html and 'value="Toulouse"' in html
    draft.refresh_from_db()
    assert draft.city == "Marseille" and draft.problem
    # The same rule holds for autosave.
    response = client.post(url("autosave", draft), post_data(draft, team=[]))
    assert response.status_code == 400 and response.json()["status"] == "incomplete"


def test_read_only_after_the_deadline(client, draft):
    complete(draft)
    submit_application(draft.pk, by=draft.owner)
    draft.refresh_from_db()
    data = post_data(draft, city="Too late")
    with time_machine.travel(draft.call.closes_at + dt.timedelta(seconds=1), tick=False):
        client.force_login(draft.owner)
        response = client.get(url("edit", draft), follow=True)
        assert "can no longer be changed" in response.content.decode()
        response = client.post(url("edit", draft), data)
        assert response.status_code == 403
        assert "The deadline has passed" in response.content.decode()
        assert 'value="Too late"' in response.content.decode()
        assert client.post(url("autosave", draft), data).status_code == 403
        detail = client.get(url("detail", draft)).content.decode()
        assert "can no longer be changed" in detail or "is with the reviewers" in detail
        assert url("edit", draft) not in detail
    draft.refresh_from_db()
    assert draft.city == "Paris"


def test_withdraw_then_submit_again(client, draft, django_capture_on_commit_callbacks):
    complete(draft)
    client.force_login(draft.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("submit", draft))
        assert "Withdraw my application" in client.get(url("withdraw", draft)).content.decode()
        response = client.post(url("withdraw", draft), follow=True)
        assert "Your application is withdrawn" in response.content.decode()
        draft.refresh_from_db()
        assert draft.status == "withdrawn"
        client.post(url("submit", draft))
    draft.refresh_from_db()
    assert draft.status == "submitted"
    kinds = list(OutboxMessage.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["application_submitted", "application_withdrawn", "application_submitted"]
    assert list(StatusChange.objects.values_list("to_status", flat=True)) == ["submitted", "withdrawn", "submitted"]


def test_only_the_owner_withdraws(client, draft):
    complete(draft)
    submit_application(draft.pk, by=draft.owner)
    co_founder = UserFactory()
    draft.memberships.create(user=co_founder, call=draft.call)
    client.force_login(co_founder)
    response = client.post(url("withdraw", draft), follow=True)
    assert "Only the person who started the application can withdraw it." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_a_draft_cannot_be_withdrawn(client, draft):
    client.force_login(draft.owner)
    response = client.post(url("withdraw", draft), follow=True)
    assert "cannot be withdrawn" in response.content.decode()


def test_submitted_at_is_now(draft):
    complete(draft)
    before = timezone.now()
    application, _ = submit_application(draft.pk, by=draft.owner)
    assert before <= application.submitted_at <= timezone.now()


def test_the_submit_page_reads_the_whole_application_back_before_the_button(client, draft):
    complete(draft, team=2)
    draft.pitch_deck_name = "engines-deck.pdf"
    draft.pitch_deck_size = 2_500_000
    draft.problem = "Restaurants waste food.\nEvery day."
    draft.save()
    client.force_login(draft.owner)
    html = client.get(url("submit", draft)).content.decode()
    for text in (
        "Your application as reviewers will read it",
        "Mistral Kitchen",
        "May 1, 2024",  # the founding date, formatted
        "Restaurants waste food.<br>Every day.",
        "Llama",
        "Founder 0",
        "Founder 1",
        "engines-deck.pdf",
        "2.4\xa0MB",
    ):
        assert text in html, text
    for key in ("startup", "team", "product", "compute", "traction", "deck"):
        assert f'{url("edit", draft)}#section-{key}"' in html, key
    assert "I declare that the information" not in html  # consents are not read by reviewers
    assert html.index("engines-deck.pdf") < html.index("Submit my application")


def test_a_co_founder_reads_the_application_back_without_the_button(client, draft):
    complete(draft)
    grace = UserFactory()
    Membership.objects.create(application=draft, user=grace, call=draft.call)
    client.force_login(grace)
    html = client.get(url("submit", draft)).content.decode()
    assert "Mistral Kitchen" in html and "Edit this section" in html
    assert "Submit my application" not in html and "who started the application, can submit it" in html


def test_after_the_deadline_the_page_reads_back_without_edit_links(client, draft):
    complete(draft)
    with time_machine.travel(draft.call.closes_at + dt.timedelta(seconds=1), tick=False):
        client.force_login(draft.owner)
        html = client.get(url("submit", draft)).content.decode()
    assert "Mistral Kitchen" in html
    assert "Edit this section" not in html and "Submit my application" not in html
