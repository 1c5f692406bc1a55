from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from accelerator import config

PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "apply.example.org"}


def security(**env):
    return config.load(env, Path("/srv/portal")).security


def test_production_is_strict_by_default():
    cfg = security(**PRODUCTION)
    assert cfg.require_staff_mfa is True
    assert cfg.ssl_redirect is True
    assert cfg.hsts_seconds == 31_536_000
    assert cfg.staff_idle_timeout_minutes == 30
    assert cfg.proxy_ssl_header is None
    assert cfg.trusted_proxy_count == 0


def test_embedded_demo_needs_no_phone_nor_https():
    cfg = security(DEBUG="true")
    assert cfg.require_staff_mfa is False
    assert cfg.ssl_redirect is False
    assert cfg.hsts_seconds == 0


def test_values_can_be_set():
    cfg = security(
        **PRODUCTION,
        REQUIRE_STAFF_MFA="off",
        STAFF_IDLE_TIMEOUT_MINUTES="15",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
        TRUSTED_PROXY_COUNT="1",
    )
    assert cfg.require_staff_mfa is False
    assert cfg.staff_idle_timeout_minutes == 15
    assert cfg.proxy_ssl_header == ("HTTP_X_FORWARDED_PROTO", "https")
    assert cfg.trusted_proxy_count == 1


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"REQUIRE_STAFF_MFA": "sometimes"}, "REQUIRE_STAFF_MFA must be true or false"),
        ({"STAFF_IDLE_TIMEOUT_MINUTES": "0"}, "STAFF_IDLE_TIMEOUT_MINUTES must be a whole number of at least 1"),
        ({"STAFF_IDLE_TIMEOUT_MINUTES": "half an hour"}, "STAFF_IDLE_TIMEOUT_MINUTES must be a whole number"),
        ({"SECURE_PROXY_SSL_HEADER": "https"}, "SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https'"),
        ({"SECURE_PROXY_SSL_HEADER": "X Forwarded: https"}, "SECURE_PROXY_SSL_HEADER must look like"),
        ({"SECURE_HSTS_SECONDS": "-1"}, "SECURE_HSTS_SECONDS must be a whole number of at least 0"),
        ({"TRUSTED_PROXY_COUNT": "many"}, "TRUSTED_PROXY_COUNT must be a whole number"),
        ({"SECURE_SSL_REDIRECT": "maybe"}, "SECURE_SSL_REDIRECT must be true or false"),
    ],
)
def test_bad_values_give_a_clear_error(env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        security(**PRODUCTION, **env)
