"""Two-factor authentication (TOTP) for reviewers and organisers."""

import base64
import time
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.accounts import UserFactory
from tests.security.csp import assert_no_inline_code
from tests.security.mfa import code_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
SETUP = reverse("security:mfa_setup")
VERIFY = reverse("security:mfa_verify")


@pytest.fixture(autouse=True)
def _mfa_on(settings):
    settings.REQUIRE_STAFF_MFA = True


@pytest.fixture
def reviewer():
    return UserFactory(username="rev@example.org", email="rev@example.org", is_staff=True)


def password_login(client, user):
    response = client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    return client.get(response["Location"])


def enrol(client, user):
    password_login(client, user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"token": code_for(device), "next": "/admin/"})
    assert response.status_code == 302
    device.refresh_from_db()
    return device


def test_staff_without_a_device_are_guided_to_enrol(client, reviewer):
    response = password_login(client, reviewer)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next={quote('/admin/', safe='')}"

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Set up two-factor authentication" in html
    assert_no_inline_code(html)
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    # The QR code is an <img> with a data: URI (allowed by img-src data:) holding an SVG.
    qr = page.context["qr_code"]
    assert f'src="{qr}"' in html
    assert qr.startswith("data:image/svg+xml;base64,")
    assert b"<svg" in base64.b64decode(qr.split(",", 1)[1])
    secret = page.context["secret"]
    assert secret in html
    assert base64.b32decode(secret.replace(" ", "")) == device.bin_key
    assert "otpauth://totp/AI%20Startup%20Programme%3Arev%40example.org" in device.config_url
    # Reloading the page shows the same secret, not a new one.
    assert client.get(SETUP).context["secret"] == secret


def test_enrolment_needs_the_right_code_and_then_opens_the_admin(client, reviewer):
    password_login(client, reviewer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=reviewer)

    wrong = client.post(SETUP, {"token": "000000" if code_for(device) != "000000" else "111111", "next": "/admin/"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post(SETUP, {"token": code_for(device), "next": "/admin/"})
    assert ok.status_code == 302
    assert ok["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get(reverse("admin:index")).status_code == 200
    # Once enrolled, the setup page cannot be used to replace the device.
    assert client.get(SETUP).status_code == 302


def test_next_sign_in_asks_for_a_code(client, reviewer):
    device = enrol(client, reviewer)
    client.post(reverse("admin:logout"))

    response = password_login(client, reviewer)
    assert response["Location"].startswith(VERIFY)
    page = client.get(response["Location"])
    assert "Two-factor authentication" in page.content.decode()
    assert_no_inline_code(page.content.decode())

    session_before = client.cookies["sessionid"].value
    # The enrolment used this step's code; the app's next code is accepted (one step tolerance).
    ok = client.post(VERIFY, {"token": code_for(device, offset_steps=1), "next": "/admin/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    assert client.cookies["sessionid"].value != session_before
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_code_cannot_be_used_twice(client, reviewer):
    # The clock stands still: a replay that crossed into the next 30-second step would be a new,
    # valid code, and the test would pass or fail on timing alone.
    with time_machine.travel(time.time(), tick=False):
        device = enrol(client, reviewer)
        client.post(reverse("admin:logout"))
        password_login(client, reviewer)
        replay = client.post(VERIFY, {"token": code_for(device), "next": "/admin/"})
    assert replay.status_code == 200
    assert "That code is not right" in replay.content.decode()


def test_repeated_wrong_codes_are_throttled(client, reviewer):
    device = enrol(client, reviewer)
    client.post(reverse("admin:logout"))
    password_login(client, reviewer)
    wrong = "123456" if code_for(device, 1) != "123456" else "654321"
    client.post(VERIFY, {"token": wrong})
    response = client.post(VERIFY, {"token": code_for(device, offset_steps=1)})
    assert response.status_code == 200
    assert "Too many wrong codes. Wait" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_unverified_staff_cannot_change_anything_in_the_admin(client, reviewer):
    enrol(client, reviewer)
    client.post(reverse("admin:logout"))
    password_login(client, reviewer)
    target = UserFactory(first_name="Before")
    response = client.post(reverse("admin:accounts_user_change", args=[target.pk]), {"first_name": "After"})
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    target.refresh_from_db()
    assert target.first_name == "Before"


def test_unverified_staff_can_still_sign_out_and_switch_language(client, reviewer):
    password_login(client, reviewer)
    assert client.post(reverse("set_language"), {"language": "fr", "next": SETUP}).status_code == 302
    assert client.post(reverse("admin:logout")).status_code == 200
    assert "_auth_user_id" not in client.session


def test_next_cannot_send_people_to_another_site(client, reviewer):
    password_login(client, reviewer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=reviewer)
    response = client.post(SETUP, {"token": code_for(device), "next": "https://evil.example/phish"})
    assert response["Location"] == reverse("admin:index")


def test_founders_never_see_the_second_factor(client):
    founder = UserFactory()
    client.force_login(founder)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(SETUP)["Location"] == reverse("home")
    assert client.get(VERIFY)["Location"] == reverse("home")
    assert not TOTPDevice.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, settings):
    assert client.get(SETUP)["Location"].startswith(reverse(settings.LOGIN_URL))


def test_setting_off_lets_staff_in_with_a_password(client, reviewer, settings):
    settings.REQUIRE_STAFF_MFA = False
    assert password_login(client, reviewer).status_code == 200


def test_pages_in_french(client, reviewer):
    password_login(client, reviewer)
    client.post(reverse("set_language"), {"language": "fr"})
    html = client.get(SETUP).content.decode()
    assert "Configurer la double authentification" in html
