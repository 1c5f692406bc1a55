"""Enrolment and verification of the authenticator app (TOTP) that staff use as a second factor."""

import base64
import logging
import math
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

logger = logging.getLogger(__name__)

DEVICE_NAME = "Authenticator app"


class TokenRejected(Exception):
    """The code was wrong, already used, or the device is throttled; the message says which."""


def pending_device(user) -> TOTPDevice:
    """The not-yet-confirmed device shown during enrolment; the same one on every reload."""
    with transaction.atomic():
        # Locking the user row keeps two tabs from creating two different secrets.
        User.objects.select_for_update().filter(pk=user.pk).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_for_display(device: TOTPDevice) -> str:
    """The base32 secret people type into an app when they cannot scan, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI (allowed by the CSP's img-src data:)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def _refuse_if_throttled(device: TOTPDevice) -> None:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        seconds = math.ceil((details["locked_until"] - timezone.now()).total_seconds())
        raise TokenRejected(
            _("Too many wrong codes. Wait %(seconds)d seconds, then enter the current code.")
            % {"seconds": max(seconds, 1)}
        )


def confirm_enrolment(request, device: TOTPDevice, token: str) -> TOTPDevice:
    """Turn the pending device on once the person proves their app shows the right code."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user, confirmed=False)
        _refuse_if_throttled(device)
        # A wrong code is recorded by verify_token (throttling), so it must commit: no raise in here.
        accepted = device.verify_token(token)
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    if not accepted:
        raise TokenRejected(_("That code is not right. Check the time on your phone and enter the current code."))
    _mark_verified(request, device)
    logger.info("Two-factor device enrolled for user %s", request.user.pk)
    return device


def verify(request, device: TOTPDevice, token: str) -> TOTPDevice:
    """Complete a staff sign-in with the current code from their app."""
    _refuse_if_throttled(device)
    verified = django_otp.verify_token(request.user, device.persistent_id, token)
    if verified is None:
        raise TokenRejected(_("That code is not right. Enter the current code from your authenticator app."))
    _mark_verified(request, verified)
    logger.info("Two-factor verification for user %s", request.user.pk)
    return verified


def _mark_verified(request, device: TOTPDevice) -> None:
    # Raising the session's privilege gets a new session key, as a password login does.
    request.session.cycle_key()
    django_otp.login(request, device)
