"""Reminders and the shortlist e-mail in the e-mail text editor: their own placeholders, computed by
the sweep and the shortlist run, are documented, previewed, saved, used when sent, and reset."""

import datetime as dt
import html

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cohorts.models import RunTrigger
from cohorts.shortlist.services import run_shortlist
from mail import templating
from mail.models import MailTemplate
from reminders import mails as reminder_mails
from reminders import services
from tests.cohorts.conftest import review, submitted
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory, TeamMemberFactory
from tests.factories.calls import CallFactory
from tests.factories.cohorts import organiser
from tests.factories.reviews import AssignmentFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

# 23:59 in Paris on 10 March 2031; reviews due 31 March 2031, 18:00 in Paris.
CLOSES = dt.datetime(2031, 3, 10, 22, 59, tzinfo=dt.UTC)
REVIEWS_DUE = dt.datetime(2031, 3, 31, 16, 0, tzinfo=dt.UTC)
KINDS = ["reminder_founder", "reminder_reviewer", "shortlist_ready"]


@pytest.fixture
def call():
    return CallFactory(
        title="AI Startup Programme",
        opens_at=CLOSES - dt.timedelta(days=40),
        closes_at=CLOSES,
        review_deadline=REVIEWS_DUE,
        cohort_size=2,
        min_reviews=2,
    )


@pytest.fixture
def boss(client):
    user = organiser(first_name="Olivia", language="en")
    client.force_login(user)
    return user


def edit_url(call, kind, language="en"):
    return reverse("admin:mail_mailtemplate_edit", args=[call.pk, kind, language])


def page(response):
    return html.unescape(response.content.decode())


def save(client, call, kind, subject, body, language="en"):
    return client.post(edit_url(call, kind, language), {"subject": subject, "body": body, "_save": "1"})


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_opens_in_both_languages_with_its_placeholders_documented(client, boss, call, kind):
    ApplicationFactory(call=call, submitted=True, startup_name="Alpaca")
    own = templating.KINDS[kind].placeholders
    for language, hello in (("en", "Hello {{ recipient_first_name }},"), ("fr", "Bonjour {{ recipient_first_name }},")):
        response = client.get(edit_url(call, kind, language))
        assert response.status_code == 200
        text = page(response)
        assert hello in text  # the built-in text, with placeholders where the values go
        assert "Preview of what is sent now" in text and "Rendered with the application of Alpaca" in text
        for name, description in own.items():
            assert f"{{{{ {name} }}}}" in text and str(description) in text


def test_builtin_texts_use_only_placeholders_the_editor_knows():
    for kind in KINDS:
        # Every value of their own that the built-in texts use is documented by its sender.
        assert set(templating.extra_names(kind)) <= set(templating.KINDS[kind].placeholders), kind
        allowed = templating.allowed_names(kind)
        for language in ("en", "fr"):
            subject, body = templating.builtin_text(kind, language)
            templating.check(subject, allowed)
            templating.check(body, allowed)


def test_founder_reminder_preview_uses_the_chosen_application(client, boss, call):
    draft = ApplicationFactory(call=call, startup_name="Alpaca", owner=UserFactory(first_name="Ada"))
    body = "{{ recipient_first_name }}: {{ deadline }}, in {{ time_left }}.\n{{ missing_sections }}\n{{ url }}"
    response = client.post(
        edit_url(call, "reminder_founder"),
        {"subject": "{{ startup_name }}", "body": body, "application": draft.pk, "_preview": "1"},
    )
    text = page(response)
    assert "Ada: March 10, 2031, 11:59 p.m. (Paris time), in " in text and "\xa0years" in text
    assert "Still missing:\n- Startup:" in text and f"/applications/{draft.pk}/" in text
    assert not MailTemplate.objects.exists()


def test_reviewer_reminder_preview_uses_a_reviewer_of_the_application_and_their_list(client, boss, call):
    marc = ReviewerFactory(first_name="Marc")
    apps = [ApplicationFactory(call=call, submitted=True, startup_name=name) for name in ("Alpaca", "Bison")]
    for application in apps:
        AssignmentFactory(reviewer=marc, application=application)
    body = "{{ recipient_first_name }}: {{ reviews_to_submit }} ({{ review_count }})\n{{ assignments }}\n{{ deadline }}"
    response = client.post(
        edit_url(call, "reminder_reviewer", "fr"),
        {"subject": "x", "body": body, "application": apps[1].pk, "_preview": "1"},
    )
    text = page(response)
    assert "Marc: 2 évaluations à soumettre (2)\n- Alpaca\n- Bison\n31 mars 2031 18:00 (heure de Paris)" in text
    assert "is an example" not in text


def test_reviewer_reminder_preview_says_when_its_list_is_an_example(client, boss, call):
    ApplicationFactory(call=call, submitted=True, startup_name="Alpaca")
    text = page(client.get(edit_url(call, "reminder_reviewer")))
    assert "Hello Olivia," in text and "You have 1 application of AI Startup Programme to review:\n- Alpaca" in text
    assert "The list of applications to review is an example" in text


def test_shortlist_preview_shows_the_latest_run_or_an_example(client, boss, call):
    alpaca, bison, _cobra = (submitted(call, name, minutes=i) for i, name in enumerate(("Alpaca", "Bison", "Cobra")))
    text = page(client.get(edit_url(call, "shortlist_ready")))
    # The chosen application (the latest submitted) first, then the others in submission order.
    assert "1. Cobra (4.500" in text and "2. Alpaca (4.250" in text and "Waitlist: 1 application." in text
    assert "No shortlist was run for this call yet" in text
    r1, r2 = ReviewerFactory(), ReviewerFactory()
    for application, score in ((alpaca, 3.0), (bison, 4.0)):
        review(application, r1, score)
        review(application, r2, score)
    run = run_shortlist(call, trigger=RunTrigger.ADMIN)
    text = page(client.get(edit_url(call, "shortlist_ready", "fr")))
    assert "1. Bison (4,000, stable avec les trois méthodes)\n2. Alpaca (3,000" in text
    assert "Pas assez d’évaluations : 1 candidature." in text
    assert f"/admin/cohorts/shortlistrun/{run.pk}/change/" in text
    assert "No shortlist was run" not in text


def test_custom_founder_reminder_is_sent_by_the_sweep_then_reset(
    client, boss, call, django_capture_on_commit_callbacks
):
    draft = ApplicationFactory(call=call, startup_name="Alpaca", owner=UserFactory(first_name="Ada"))
    TeamMemberFactory(application=draft)
    french = ApplicationFactory(call=call, owner=UserFactory(first_name="Farid", language="fr"))
    response = save(
        client,
        call,
        "reminder_founder",
        "{{ startup_name }}: {{ time_left }} left",
        "Dear {{ recipient_first_name|upper }},\nDue {{ deadline }}.\n{{ missing_sections }}\nGo: {{ url }}",
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        services.send_founder_reminders(CLOSES - dt.timedelta(hours=48))
    sent = {message.to[0]: message for message in mail.outbox}
    custom = sent[draft.owner.email]
    assert custom.subject == "Alpaca: 2 days left"  # a subject is one line of plain spaces
    assert custom.body == (
        "Dear ADA,\nDue March 10, 2031, 11:59 p.m. (Paris time).\nStill missing:\n"
        "- Startup: founding date, legal form, team size, stage\n"
        "- Product and AI: problem, solution, who the users are, open-source foundation models, how you use the "
        "Hugging Face Hub, what you would fine-tune or train\n"
        "- Compute and data: H100 GPU-hours per month, data must stay in the EU, kinds of data handled\n"
        "- Traction and motivation: users and customers, revenue, why this programme, available in Paris for the "
        "programme\n- Pitch deck: pitch deck\n"
        "- Consents: I have read the privacy notice, the information is accurate\n"
        f"Go: http://127.0.0.1:8000/applications/{draft.pk}/\n"
    )
    assert sent[french.owner.email].subject.startswith("Rappel")  # no French text saved: the built-in one
    client.post(reverse("admin:mail_mailtemplate_reset", args=[call.pk, "reminder_founder", "en"]))
    assert not MailTemplate.objects.exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_founder_reminders(CLOSES - dt.timedelta(hours=3))
    [again] = [message for message in mail.outbox if message.to == [draft.owner.email]]
    assert again.subject == "Reminder: your application to AI Startup Programme is not submitted yet"


def test_custom_reviewer_reminder_in_french_is_sent_by_the_sweep(
    client, boss, call, monkeypatch, django_capture_on_commit_callbacks
):
    reviewer = ReviewerFactory(first_name="Marc", language="fr")
    for name in ("Alpaca", "Bison", "Cobra"):
        application = ApplicationFactory(call=call, submitted=True, startup_name=name)
        AssignmentFactory(reviewer=reviewer, application=application)
    save(
        client,
        call,
        "reminder_reviewer",
        "{{ review_count }} à faire : {{ call_title }}",
        "{{ recipient_first_name }}, {{ applications_to_review }} avant le {{ deadline }} "
        "({{ time_left }}) :\n{{ assignments }}\n{{ url }}",
        language="fr",
    )
    monkeypatch.setattr(reminder_mails, "LISTED_ASSIGNMENTS", 2)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_reviewer_reminders(REVIEWS_DUE - dt.timedelta(hours=24))
    [message] = mail.outbox
    assert message.subject == "3 à faire : AI Startup Programme"
    assert message.body == (
        "Marc, 3 candidatures avant le 31 mars 2031 18:00 (heure de Paris) (1\xa0jour) :\n"
        "- Alpaca\n- Bison\n… et 1 autre.\nhttp://127.0.0.1:8000/admin/reviews/\n"
    )


def test_custom_shortlist_text_is_sent_by_the_run(client, boss, django_capture_on_commit_callbacks):
    now = timezone.now()
    call = CallFactory(
        opens_at=now - dt.timedelta(days=40),
        closes_at=now - dt.timedelta(days=20),
        review_deadline=now - dt.timedelta(hours=1),
        cohort_size=1,
        min_reviews=2,
    )
    r1, r2 = ReviewerFactory(), ReviewerFactory()
    for i, (name, score) in enumerate((("Alpaca", 4.5), ("Bison", 3.0), ("Cobra", 2.0))):
        application = submitted(call, name, minutes=i)
        review(application, r1, score)
        if name != "Cobra":
            review(application, r2, score)
    save(
        client,
        call,
        "shortlist_ready",
        "{{ call_title }}: {{ method|lower }}",
        "{{ shortlist }}\nWaiting: {{ waitlist }}; too few reviews: {{ not_enough_reviews }} ({{ trigger }})"
        "\n{{ url }}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = run_shortlist(call, trigger=RunTrigger.COMMAND)
    [message] = [m for m in mail.outbox if m.to == [boss.email]]
    assert message.subject == f"{call.title}: mean of weighted scores"
    assert message.body == (
        "1. Alpaca (4.500, stable under all three methods)\n"
        "Waiting: 1 application; too few reviews: 1 application (Command line)\n"
        f"http://127.0.0.1:8000/admin/cohorts/shortlistrun/{run.pk}/change/\n"
    )


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("reminder_founder", "Only {{ hours_left }} hours", "Unknown placeholder “{{ hours_left }}”"),
        ("reminder_founder", "{% for s in missing %}{{ s }}{% endfor %}", "“{% for %}” is not allowed"),
        ("reminder_reviewer", "{{ deadline|timeuntil }}", "Invalid filter: 'timeuntil'"),
        ("reminder_reviewer", "Dear {{ user.first_name }}", "“{{ user.first_name }}” is not a placeholder"),
        ("shortlist_ready", "{{ missing_sections }}", "Unknown placeholder “{{ missing_sections }}”"),
    ],
)
def test_unknown_placeholders_and_tags_are_refused(client, boss, call, kind, text, message):
    response = save(client, call, kind, "Subject", text)
    assert response.status_code == 200
    assert message in page(response) and text in page(response)  # the text comes back, with why
    assert not MailTemplate.objects.exists()
    with pytest.raises(ValidationError, match=r"Available placeholders|not allowed"):
        templating.check(text, templating.allowed_names(kind))
