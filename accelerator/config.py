"""Read the portal's configuration from environment variables.

Everything that varies between a laptop and production is read here, once, and
turned into typed values. A wrong value stops start-up with a message naming the
variable, instead of surfacing later as a confusing runtime error.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"


@dataclass(frozen=True)
class Config:
    debug: bool
    secret_key: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    database: dict
    redis_url: str
    email: dict
    default_from_email: str
    site_url: str


def parse_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def parse_list(env: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    raw = env.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database(env: Mapping[str, str], base_dir: Path) -> dict:
    url = env.get("DATABASE_URL") or f"sqlite:///{base_dir / '.data' / 'db.sqlite3'}"
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with sqlite:// or postgres://, not {url.split('://')[0]!r}."
        )
    db = environ.Env.db_url_config(url)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL and IMMEDIATE transactions let the web server and the embedded worker
        # write to one SQLite file without "database is locked" errors.
        db["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        if not db.get("NAME"):
            raise ImproperlyConfigured("DATABASE_URL must name a database, e.g. postgres://user@host:5432/portal.")
        db["ENGINE"] = "django.db.backends.postgresql"
        # psycopg 3's pool replaces persistent connections (CONN_MAX_AGE must stay 0).
        db["CONN_MAX_AGE"] = 0
        db["OPTIONS"] = {"pool": {"min_size": 1, "max_size": int(env.get("DATABASE_POOL_SIZE", "10")), "timeout": 10}}
    db["ATOMIC_REQUESTS"] = False
    return db


def parse_redis_url(env: Mapping[str, str]) -> str:
    url = (env.get("REDIS_URL") or "").strip()
    if url and urlparse(url).scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(f"REDIS_URL must start with redis:// or rediss://, not {url!r}.")
    return url


def parse_email(env: Mapping[str, str]) -> dict:
    url = env.get("EMAIL_URL") or "consolemail://"
    scheme = url.split("://", 1)[0]
    if scheme not in environ.Env.EMAIL_SCHEMES:
        known = ", ".join(sorted(environ.Env.EMAIL_SCHEMES))
        raise ImproperlyConfigured(f"EMAIL_URL scheme {scheme!r} is not supported; use one of: {known}.")
    config = environ.Env.email_url_config(url)
    if scheme == "filemail":
        # filemail:///abs/path is absolute, filemail://relative/path relative to the project.
        folder = url.split("://", 1)[1]
        if not folder:
            raise ImproperlyConfigured("EMAIL_URL filemail:// needs a folder, e.g. filemail:///tmp/portal-mail.")
        config["EMAIL_FILE_PATH"] = folder
    return config


def load(env: Mapping[str, str], base_dir: Path) -> Config:
    debug = parse_bool(env, "DEBUG", default=False)
    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if not debug:
            raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
        secret_key = DEV_SECRET_KEY
    default_hosts = ["127.0.0.1", "localhost", "[::1]", "testserver"] if debug else []
    allowed_hosts = parse_list(env, "ALLOWED_HOSTS", default_hosts)
    if not debug and not allowed_hosts:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the portal's host names when DEBUG is off.")
    site_url = (env.get("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
    return Config(
        debug=debug,
        secret_key=secret_key,
        allowed_hosts=allowed_hosts,
        csrf_trusted_origins=parse_list(env, "CSRF_TRUSTED_ORIGINS", []),
        database=parse_database(env, base_dir),
        redis_url=parse_redis_url(env),
        email=parse_email(env),
        default_from_email=env.get("DEFAULT_FROM_EMAIL", "AI Startup Programme <noreply@localhost>"),
        site_url=site_url,
    )
