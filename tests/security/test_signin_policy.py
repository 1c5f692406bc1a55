"""The sign-in throttling policy of the README, tried as an attacker would on the production proxy setup.

Every request reaches Django from the proxy (REMOTE_ADDR 10.0.0.2), which appends the address it
saw to X-Forwarded-For and says the request came over HTTPS: DEBUG off, TRUSTED_PROXY_COUNT=1,
SECURE_PROXY_SSL_HEADER and SECURE_SSL_REDIRECT on, as in the README's production section. The
founders sign in on allauth's form, with allauth's rate limits and django-axes both active.
"""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from mail.models import OutboxMessage
from tests.factories.accounts import UserFactory
from tests.security.mfa import code_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
PROXY = "10.0.0.2"
LOGIN = reverse("account_login")
WRONG = "The email address and/or password you specified are not correct."
ADDRESS_PAUSED = "Too many failed login attempts. Try again later."


@pytest.fixture(autouse=True)
def production_proxy(settings):
    settings.DEBUG = False
    # The environment's TRUSTED_PROXY_COUNT=1; allauth reads it through the account adapter.
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True


def founder(email):
    user = UserFactory(email=email, username=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def browser(address, written_by_client=None, language="en"):
    """A visitor at `address`, seen through our proxy; `written_by_client` is what the visitor put
    in X-Forwarded-For themselves (the proxy appends to it)."""
    forwarded = f"{written_by_client}, {address}" if written_by_client else address
    return Client(
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def sign_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("applications:list")


def test_a_stranger_at_another_address_never_locks_the_founder_out():
    victim = founder("fe@test.example")
    stranger = browser("198.51.100.50")
    for _ in range(4):
        assert WRONG in sign_in(stranger, victim.email, "guess").content.decode()
    paused = sign_in(stranger, victim.email, "guess")
    assert paused.status_code == 429 and "Logging in is paused" in paused.content.decode()
    # Five more guesses every few minutes change nothing for the founder at home.
    for _ in range(10):
        assert sign_in(stranger, victim.email, "guess").status_code == 429
    assert signed_in(sign_in(browser("203.0.113.51"), victim.email))
    # The pair (identifier, address) stays paused, whatever the password.
    assert sign_in(stranger, victim.email).status_code == 429


def test_strangers_failing_on_made_up_accounts_do_not_stop_a_bystander():
    bystander = founder("bystander@test.example")
    for n in range(10):
        stranger = browser(f"198.51.100.{n + 1}")
        for guess in range(3):
            assert WRONG in sign_in(stranger, f"nobody{n}-{guess}@test.example", "guess").content.decode()
    assert signed_in(sign_in(browser("203.0.113.80"), bystander.email))


def test_deadline_night_many_founders_sign_in_within_a_minute():
    # Before the change the whole site took 30 sign-ins a minute; these also come from one shared
    # office address (the campus network), the worst case for per-address limits.
    founders = [founder(f"founder{n}@test.example") for n in range(45)]
    office = browser("203.0.113.10")
    for person in founders[:35]:
        assert signed_in(sign_in(office, person.email)), person.email
        office.logout()
    for n, person in enumerate(founders[35:]):
        assert signed_in(sign_in(browser(f"192.0.2.{n + 1}"), person.email))


def test_one_address_guessing_many_accounts_is_slowed():
    real = founder("real@test.example")
    attacker = browser("198.51.100.66")
    for n in range(20):
        response = sign_in(attacker, f"victim{n}@test.example", "password123")
        assert WRONG in response.content.decode()
    # Past 20 failures in 5 minutes that address is refused, even with a right password...
    refused = sign_in(attacker, real.email)
    assert refused.status_code == 200
    assert ADDRESS_PAUSED in refused.content.decode()
    assert "_auth_user_id" not in attacker.session
    # ...in the visitor's language...
    french = sign_in(browser("198.51.100.66", language="fr"), real.email)
    assert "Trop de tentatives de connexion" in french.content.decode()
    # ...and only that address.
    assert signed_in(sign_in(browser("203.0.113.99"), real.email))


def test_successful_sign_ins_do_not_count_towards_the_address_limit():
    people = [founder(f"team{n}@test.example") for n in range(3)]
    office = browser("203.0.113.20")
    for n in range(19):
        assert WRONG in sign_in(office, f"typo{n}@test.example", "guess").content.decode()
    for person in people:
        assert signed_in(sign_in(office, person.email))
        office.logout()


def test_x_forwarded_for_written_by_the_client_is_ignored():
    victim = founder("fe@test.example")
    for n in range(5):
        # The attacker writes a new address each time; our proxy appends the real one.
        sign_in(browser("198.51.100.7", written_by_client=f"192.0.2.{n}"), victim.email, "guess")
    assert sign_in(browser("198.51.100.7", written_by_client="192.0.2.200"), victim.email).status_code == 429
    assert signed_in(sign_in(browser("203.0.113.5"), victim.email))


def test_an_ipv6_client_cannot_dodge_the_pause_by_changing_address_within_its_network():
    victim = founder("fe@test.example")
    for n in range(5):
        sign_in(browser(f"2001:db8:5:6::{n + 1:x}"), victim.email, "guess")
    assert sign_in(browser("2001:db8:5:6:ffff::9"), victim.email).status_code == 429
    assert signed_in(sign_in(browser("2001:db8:5:7::1"), victim.email))


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.SECURE_SSL_REDIRECT = False
    victim = founder("fe@test.example")

    def direct(fake):
        return Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=fake)

    for n in range(5):
        sign_in(direct(f"192.0.2.{n}"), victim.email, "guess")
    assert sign_in(direct("192.0.2.201"), victim.email).status_code == 429
    for n in range(15):
        sign_in(direct(f"192.0.2.{n + 10}"), f"other{n}@test.example", "guess")
    other = founder("other@test.example")
    assert ADDRESS_PAUSED in sign_in(direct("192.0.2.250"), other.email).content.decode()
    assert signed_in(sign_in(Client(REMOTE_ADDR="203.0.113.5"), other.email))


def test_password_reset_emails_are_limited_per_target_and_per_address():
    victim = founder("fe@test.example")
    reset = reverse("account_reset_password")
    for n in range(3):
        assert browser(f"198.51.100.{n + 1}").post(reset, {"email": victim.email}).status_code == 302
    refused = browser("198.51.100.9", language="fr").post(reset, {"email": victim.email})
    assert refused.status_code == 429
    assert "Trop de demandes" in refused.content.decode()
    # (Two requests in the same second make the same link, which the outbox sends once.)
    assert 1 <= OutboxMessage.objects.filter(to=victim.email).count() <= 3

    sender = browser("198.51.100.100")
    for n in range(20):
        assert sender.post(reset, {"email": f"someone{n}@test.example"}).status_code == 302
    assert sender.post(reset, {"email": "someone-else@test.example"}).status_code == 429
    assert browser("198.51.100.101").post(reset, {"email": "someone-else@test.example"}).status_code == 302


def test_sign_up_emails_are_limited_per_target_and_per_address():
    founder("taken@test.example")
    signup = reverse("account_signup")

    def form(email):
        return {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": email,
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
            "language": "en",
        }

    # Signing up again and again with someone's address sends them one e-mail per 3 minutes.
    for n in range(3):
        assert browser(f"198.51.100.{n + 1}").post(signup, form("taken@test.example")).status_code == 302
    assert OutboxMessage.objects.filter(to="taken@test.example").count() == 1

    sender = browser("198.51.100.200")
    for n in range(20):
        assert sender.post(signup, form(f"new{n}@test.example")).status_code == 302
    assert sender.post(signup, form("new-more@test.example")).status_code == 429
    assert browser("198.51.100.201").post(signup, form("new-more@test.example")).status_code == 302


def test_the_second_factor_throttle_is_unchanged_behind_the_proxy(settings):
    settings.REQUIRE_STAFF_MFA = True
    reviewer = UserFactory(username="rev@example.org", email="rev@example.org", is_staff=True)
    device = TOTPDevice.objects.create(user=reviewer, name="Authenticator app", confirmed=True)
    client = browser("203.0.113.40")
    form = {"username": reviewer.email, "password": PASSWORD, "next": "/admin/"}
    response = client.post(reverse("admin:login"), form)
    assert response.status_code == 302
    verify = reverse("security:mfa_verify")
    wrong = "123456" if code_for(device, 1) != "123456" else "654321"
    client.post(verify, {"token": wrong})
    response = client.post(verify, {"token": code_for(device, offset_steps=1)})
    assert "Too many wrong codes. Wait" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 1
