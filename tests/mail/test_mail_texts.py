import copy

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mail import templating
from mail.models import MailTemplate, OutboxMessage
from mail.rendering import render_mail
from mail.services import queue_mail
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory
from tests.factories.cohorts import organiser

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return ApplicationFactory(
        submitted=True, startup_name="Écoute IA", owner=UserFactory(first_name="Ada", last_name="L")
    )


def edit_url(call, kind="decision", language="en"):
    return reverse("admin:mail_mailtemplate_edit", args=[call.pk, kind, language])


def test_call_override_is_used_for_that_call_and_language_only(application):
    call = application.call
    MailTemplate.objects.create(
        call=call, kind="decision", language="en", subject="News for {{ startup_name }}", body="Hi {{ recipient_name }}"
    )
    context = {"call": call, "application": application, "recipient": application.owner}
    assert render_mail("decision", context, "en") == ("News for Écoute IA", "Hi Ada L\n")
    assert render_mail("decision", context, "fr")[0] != "News for Écoute IA"  # French: built-in text
    other = ApplicationFactory(submitted=True)
    assert render_mail("decision", {"application": other}, "en")[0].startswith("Your application to")
    # and through the outbox, as every e-mail goes
    message = queue_mail(kind="decision", to="a@example.com", context=context, dedupe_key="t1")
    assert message.subject == "News for Écoute IA"


def test_builtin_texts_use_the_documented_placeholders(application):
    subject, body = render_mail("decision", {"call": application.call, "application": application}, "en")
    assert subject == f"Your application to {application.call.title}"
    assert "Dear Ada L," in body and "Écoute IA" in body


def test_unknown_placeholder_tags_and_lookups_are_refused_with_a_clear_message():
    allowed = templating.allowed_names("offer")
    with pytest.raises(
        ValidationError, match=r"Unknown placeholder “\{\{ founder \}\}”. Available placeholders: .*startup_name"
    ):
        templating.check("Hi {{ founder }}", allowed)
    with pytest.raises(ValidationError, match="is not allowed"):
        templating.check("{% load static %}{% if x %}y{% endif %}", allowed)
    with pytest.raises(ValidationError, match="is not a placeholder"):
        templating.check("{{ application.owner.password }}", allowed)
    with pytest.raises(ValidationError, match="Invalid filter"):
        templating.check("{{ startup_name|safe }}", allowed)
    templating.check('{{ startup_name|upper }} {{ recipient_name|default:"there" }}', allowed)


def test_editor_prefills_the_builtin_text_with_placeholders(client, application):
    client.force_login(organiser())
    response = client.get(edit_url(application.call, "offer"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "We are delighted to offer {{ startup_name }}" in html
    assert "offer_respond_by" in html  # documented in the placeholder table
    assert "Rendered with the application of Écoute IA" in html


def test_preview_renders_with_a_real_application_and_saves_nothing(client, application):
    client.force_login(organiser())
    response = client.post(
        edit_url(application.call),
        {
            "subject": "About {{ startup_name }}",
            "body": "Dear {{ recipient_name }}",
            "application": application.pk,
            "_preview": "1",
        },
    )
    html = response.content.decode()
    assert "About Écoute IA" in html and "Dear Ada L" in html and "not saved" in html
    assert not MailTemplate.objects.exists()


def test_unknown_placeholder_comes_back_with_the_text_and_a_message(client, application):
    client.force_login(organiser())
    response = client.post(
        edit_url(application.call), {"subject": "Hi {{ ceo }}", "body": "Body text kept", "_save": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Unknown placeholder" in html and "{{ ceo }}" in html and "Body text kept" in html
    assert not MailTemplate.objects.exists()


def test_save_then_reset_to_the_builtin_text(client, application):
    boss = organiser()
    client.force_login(boss)
    call = application.call
    client.post(
        edit_url(call, language="fr"),
        {"subject": "Votre candidature {{ startup_name }}", "body": "Merci", "_save": "1"},
    )
    saved = MailTemplate.objects.get(call=call, kind="decision", language="fr")
    assert saved.updated_by == boss
    overview = client.get(reverse("admin:mail_mailtemplate_call", args=[call.pk])).content.decode()
    assert "Custom text" in overview and "offer_accepted" in overview
    reset_url = reverse("admin:mail_mailtemplate_reset", args=[call.pk, "decision", "fr"])
    assert reset_url in client.get(edit_url(call, language="fr")).content.decode()
    # The confirmation shows both texts and changes nothing.
    confirm = client.get(reset_url).content.decode()
    assert "Merci" in confirm and "The built-in text (used again)" in confirm and "in French" in confirm
    assert MailTemplate.objects.exists()
    response = client.post(reset_url, follow=True)
    assert "The built-in text is used again for this e-mail." in response.content.decode()
    assert not MailTemplate.objects.exists()
    assert render_mail("decision", {"application": application}, "fr")[1] != "Merci\n"
    # A second POST finds nothing to reset.
    again = client.post(reset_url, follow=True).content.decode()
    assert "already uses the built-in text: nothing was changed" in again
    assert "there is nothing to reset" in client.get(reset_url).content.decode()


def test_kinds_added_by_other_apps_are_discovered_with_their_own_values(client, application, settings, tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "reminder_subject.txt").write_text("{% load i18n %}{{ hours_left }} hours left")
    (folder / "reminder_body.txt").write_text(
        "{% load i18n %}{% blocktranslate with n=hours_left %}{{ n }} hours{% endblocktranslate %}"
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    assert "reminder" in templating.discover_kinds() and "offer" in templating.discover_kinds()
    assert "hours_left" in templating.allowed_names("reminder")
    MailTemplate.objects.create(
        call=application.call,
        kind="reminder",
        language="en",
        subject="{{ hours_left }}h for {{ startup_name }}",
        body="x",
    )
    assert render_mail("reminder", {"application": application, "hours_left": 48}, "en")[0] == "48h for Écoute IA"
    client.force_login(organiser())
    assert client.get(edit_url(application.call, "reminder")).status_code == 200
    assert client.get(edit_url(application.call, "no_such_kind")).status_code == 404


def test_only_organisers_edit_texts(client, application):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(edit_url(application.call)).status_code == 403
    assert client.post(edit_url(application.call), {"subject": "x", "body": "y", "_save": "1"}).status_code == 403
    assert not MailTemplate.objects.exists()


def test_stored_text_with_a_tag_is_not_rendered():
    call = CallFactory()
    application = ApplicationFactory(call=call)
    MailTemplate.objects.create(call=call, kind="decision", language="en", subject="{% debug %}", body="x")
    with pytest.raises(ValidationError):
        render_mail("decision", {"application": application}, "en")
    assert not OutboxMessage.objects.exists()
