from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from accelerator import config

BASE = Path("/srv/portal")


def load(**env):
    return config.load(env, BASE)


def test_defaults_are_the_embedded_setup():
    cfg = load(DEBUG="true")
    assert cfg.database["ENGINE"] == "django.db.backends.sqlite3"
    assert cfg.database["NAME"] == str(BASE / ".data" / "db.sqlite3")
    assert cfg.redis_url == ""
    assert cfg.email["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert cfg.secret_key == config.DEV_SECRET_KEY


def test_postgres_url_keeps_one_connection_per_process():
    cfg = load(DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal")
    assert cfg.database["ENGINE"] == "django.db.backends.postgresql"
    assert cfg.database["NAME"] == "portal"
    assert "pool" not in cfg.database.get("OPTIONS", {})
    assert cfg.database["CONN_MAX_AGE"] == 600
    assert cfg.database["CONN_HEALTH_CHECKS"] is True
    again = load(DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal", DATABASE_CONN_MAX_AGE="0")
    assert again.database["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"DEBUG": "false"}, "SECRET_KEY must be set when DEBUG is off"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS must list"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://root@localhost/db"}, "DATABASE_URL must start with"),
        ({"DEBUG": "true", "DATABASE_URL": "postgres://postgres@localhost:5432/"}, "DATABASE_URL must name"),
        ({"DEBUG": "true", "REDIS_URL": "http://localhost:6379"}, "REDIS_URL must start with redis://"),
        ({"DEBUG": "true", "EMAIL_URL": "pigeon://coop"}, "EMAIL_URL scheme 'pigeon'"),
        ({"DEBUG": "true", "EMAIL_URL": "filemail://"}, "filemail:// needs a folder"),
    ],
)
def test_bad_values_give_a_clear_error(env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load(**env)


def test_production_shape():
    cfg = load(
        DEBUG="off",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="apply.example.org, www.example.org",
        REDIS_URL="redis://cache:6379/0",
        EMAIL_URL="smtp+tls://user:pass@smtp.example.org:587",
    )
    assert cfg.debug is False
    assert cfg.allowed_hosts == ["apply.example.org", "www.example.org"]
    assert cfg.redis_url == "redis://cache:6379/0"
    assert cfg.email["EMAIL_HOST"] == "smtp.example.org"
    assert cfg.email["EMAIL_USE_TLS"] is True


def test_filemail_writes_to_a_folder():
    cfg = load(DEBUG="yes", EMAIL_URL="filemail:///tmp/portal-mail")
    assert cfg.email["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert cfg.email["EMAIL_FILE_PATH"] == "/tmp/portal-mail"
