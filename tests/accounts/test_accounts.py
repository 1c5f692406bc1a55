import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from mail.models import OutboxMessage
from tests.factories.accounts import UserFactory
from tests.factories.calls import CallFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-pass-phrase-42"


def signup(client, email="ada@example.com", language="en", next_url=""):
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "language": language,
    }
    if next_url:
        data["next"] = next_url
    return client.post(reverse("account_signup"), data)


def link_in(message: OutboxMessage) -> str:
    # On the portal's address (SITE_URL), not the request's host: see tests/mail/test_link_origins.py.
    return re.search(re.escape(settings.SITE_URL) + r"(/\S+)", message.body).group(1)


def verified_user(email="verified@example.com", language="en"):
    user = UserFactory(email=email, username=email, language=language)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_signup_needs_email_verification_then_returns_to_the_apply_page(client, django_capture_on_commit_callbacks):
    call = CallFactory()
    start = reverse("applications:start", args=[call.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, next_url=start)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="ada@example.com")
    assert user.first_name == "Ada"
    # Not logged in before the address is confirmed.
    assert client.get(reverse("applications:list")).status_code == 302

    message = OutboxMessage.objects.get(kind="account_email_confirmation_signup")
    assert message.to == "ada@example.com"
    assert message.dedupe_key
    assert message.status == "sent"  # delivered by the task after commit
    confirm = link_in(message)
    assert "Confirm" in client.get(confirm).content.decode()
    response = client.post(confirm)
    assert response.status_code == 302 and response["Location"] == start
    assert EmailAddress.objects.get(user=user).verified
    assert "Start my application" in client.get(start).content.decode()


def test_login_before_verification_is_refused_and_resends(client):
    signup(client)
    client.logout()
    OutboxMessage.objects.all().delete()
    response = client.post(reverse("account_login"), {"login": "ada@example.com", "password": PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("applications:list")).status_code == 302
    assert OutboxMessage.objects.filter(kind="account_email_confirmation").count() == 1


def test_wrong_password_is_a_clear_error(client):
    verified_user()
    response = client.post(reverse("account_login"), {"login": "verified@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_language_chosen_at_signup_is_saved_and_used_for_the_confirmation(client):
    signup(client, language="fr")
    user = User.objects.get(email="ada@example.com")
    assert user.language == "fr"
    message = OutboxMessage.objects.get()
    assert message.language == "fr"
    assert "Confirmez votre adresse" in message.subject


def test_language_of_the_account_applies_at_login(client):
    User.objects.filter(pk=verified_user(language="fr").pk).update(username="internal-handle-7")
    response = client.post(
        reverse("account_login"), {"login": "verified@example.com", "password": "correct-horse-battery"}, follow=True
    )
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Mes candidatures" in html
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    user = User.objects.get(email="verified@example.com")
    assert str(user) in html and user.username not in html  # greeted by name, not the internal username


def test_language_switcher_remembers_the_choice_on_the_account(client):
    user = verified_user(language="en")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    user.refresh_from_db()
    assert user.language == "fr"
    assert '<html lang="fr">' in client.get("/").content.decode()


def test_preferences_change_name_and_language(client):
    user = verified_user()
    client.force_login(user)
    response = client.post(
        reverse("accounts:preferences"), {"first_name": "Grace", "last_name": "Hopper", "language": "fr"}, follow=True
    )
    user.refresh_from_db()
    assert (user.first_name, user.language) == ("Grace", "fr")
    assert "Vos préférences sont enregistrées." in response.content.decode()


def test_password_reset_goes_through_the_outbox_and_works(client):
    verified_user()
    client.post(reverse("account_reset_password"), {"email": "verified@example.com"})
    message = OutboxMessage.objects.get(kind="account_password_reset_key")
    reset = client.get(link_in(message), follow=True)
    form_url = reset.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": "brand-new-pass-99", "password2": "brand-new-pass-99"})
    assert response.status_code == 302
    assert client.login(username="verified@example.com", password="brand-new-pass-99")


def test_reset_for_unknown_address_says_nothing_but_mails_the_address(client):
    response = client.post(reverse("account_reset_password"), {"email": "ghost@example.com"})
    assert response.status_code == 302
    assert OutboxMessage.objects.get().kind == "account_unknown_account"


def test_logout_is_a_post(client):
    client.force_login(verified_user())
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("applications:list")).status_code == 302


def test_founder_cannot_reach_the_admin(client):
    founder = verified_user()
    client.force_login(founder)
    for path in ("/admin/", "/admin/applications/application/", "/admin/accounts/user/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    client.logout()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "verified@example.com", "password": "correct-horse-battery"}
    )
    assert response.status_code == 200  # the admin's login form refuses non-staff accounts
    assert "_auth_user_id" not in client.session


def test_navbar_offers_login_and_signup_then_my_applications(client):
    html = client.get("/").content.decode()
    assert reverse("account_login") in html and reverse("account_signup") in html
    client.force_login(verified_user())
    html = client.get("/").content.decode()
    assert reverse("applications:list") in html
    assert reverse("account_logout") in html


def test_account_pages_use_the_portal_layout(client):
    for name in ("account_login", "account_signup", "account_reset_password"):
        html = client.get(reverse(name)).content.decode()
        assert "bootstrap.min.css" in html and "AI Startup Programme" in html
        assert "form-control" in html


def test_privacy_notice_page(client):
    response = client.get(reverse("accounts:privacy"))
    assert response.status_code == 200
    assert "GDPR" in response.content.decode()


def test_any_other_allauth_mail_still_goes_through_the_outbox(rf):
    from allauth.account.adapter import get_adapter
    from allauth.core.context import request_context

    user = verified_user(language="fr")
    with request_context(rf.get("/")):
        get_adapter().send_mail("account/email/password_changed", user.email, {"user": user})
    message = OutboxMessage.objects.get()
    assert message.kind == "account_generic" and message.language == "fr" and message.dedupe_key
    assert "mot de passe" in message.subject.lower()
