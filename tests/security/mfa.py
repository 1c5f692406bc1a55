"""Codes from a TOTP device, as the person's authenticator app would show them."""

import time

from django_otp.oath import TOTP


def code_for(device, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"
