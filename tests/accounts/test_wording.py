"""Words a founder can trust: one term per action, plurals, punctuation, buttons named as they read,
a real address wherever the portal says "write to us", and a French catalogue a native reader accepts."""

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from applications.services.submission import submit_application
from mail.models import OutboxMessage
from tests.applications.helpers import complete, post_data, url
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory

pytestmark = pytest.mark.django_db

ENTRANCE = ("account_login", "account_signup", "account_reset_password", "account_email_verification_sent")


@pytest.mark.parametrize(
    ("language", "words", "never"),
    [
        ("en", ["Log in", "Sign up", "E-mail address"], ["Sign In", "Sign Up", "sign in", "Email"]),
        ("fr", ["Se connecter", "Créer un compte", "Adresse e-mail"], ["Courriel", "inscri", "Connexion</h1>"]),
    ],
)
def test_entrance_pages_use_one_term_per_action(client, language, words, never):
    pages = {name: client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language).content.decode() for name in ENTRANCE}
    login, signup = pages["account_login"], pages["account_signup"]
    assert words[0] in login and words[1] in login and words[2] in login
    assert words[0] in signup and words[1] in signup and words[2] in signup
    for html in pages.values():
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        for word in never:
            assert word not in main, word


def test_contact_us_gives_the_privacy_contact(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "Privacy team <privacy@programme.example>"
    for name in ("account_reset_password", "account_email_verification_sent", "account_reset_password_done"):
        html = client.get(reverse(name)).content.decode()
        assert '<a href="mailto:privacy@programme.example">privacy@programme.example</a>' in html, name
        assert "contact us" not in html.lower()


def test_sections_complete_in_the_readers_plural(client):
    application = ApplicationFactory()
    client.force_login(application.owner)
    english = client.get(url("detail", application), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    done = int(re.search(r"\b(\d) of 7 sections complete", english).group(1))
    assert done <= 1  # French says 0 and 1 in the singular
    application.owner.language = "fr"
    application.owner.save()
    french = client.get(url("detail", application)).content.decode()
    assert f"{done} section complète sur 7" in french and f"{done} sections" not in french


def test_country_help_in_the_singular_for_one_country(client):
    application = ApplicationFactory(call=CallFactory(eligible_countries=["FR"]))
    client.force_login(application.owner)
    html = client.get(url("edit", application)).content.decode()
    assert "open to startups based in 1 country," in html


def test_draft_saved_message_has_one_full_stop(client):
    application = ApplicationFactory()
    client.force_login(application.owner)
    with time_machine.travel(dt.datetime(2026, 12, 7, 13, 19, tzinfo=dt.UTC), tick=False):
        response = client.post(url("edit", application), post_data(application, team=[]), follow=True)
    html = response.content.decode()
    assert "Draft saved at 2:19 p.m." in html and "p.m.." not in html


def test_after_submission_the_deck_help_names_the_button_on_the_page(client):
    application = complete(ApplicationFactory())
    submit_application(application.pk, by=application.owner)
    client.force_login(application.owner)
    html = client.get(url("edit", application)).content.decode()
    assert "Save changes" in html and "Save draft" not in html
    assert "The file is uploaded when you click “Save changes”" in html
    assert "it is uploaded when you click “Save changes”" in html


def test_french_catalogue_reads_as_one_voice():
    catalogue = (Path(settings.BASE_DIR) / "locale/fr/LC_MESSAGES/django.po").read_text()
    entries = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', catalogue, re.M)
    text = "\n".join(entries)
    assert "Courriel" not in text and "courriel" not in text
    assert "S’inscrire" not in text and "inscrivez" not in text  # « créer un compte »
    assert "décliné" not in text.lower()  # an offer is « refusée »
    assert not re.search(r"[a-zà-ÿ]'[a-zà-ÿ]", text, re.I), "straight apostrophe: French uses ’"
    assert not re.search(r"\.\.(?!\.)", text.replace("…", "")), "double full stop"


def test_password_reset_from_the_link_in_french(client):
    user = UserFactory(language="fr", email="lea@example.fr", username="lea@example.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": user.email}, HTTP_ACCEPT_LANGUAGE="fr")
    body = OutboxMessage.objects.get(to=user.email, kind="account_password_reset_key").body
    link = re.search(re.escape(settings.SITE_URL) + r"(/\S+)", body).group(1)
    page = client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert "Choisissez un nouveau mot de passe" in html and "Change Password" not in html
    new = "a-brand-new-pass-phrase-7"
    done = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"password1": new, "password2": new},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "Votre mot de passe est changé" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(new)
