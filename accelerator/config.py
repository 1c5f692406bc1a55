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
class SecurityConfig:
    require_staff_mfa: bool
    staff_idle_timeout_minutes: int
    ssl_redirect: bool
    proxy_ssl_header: tuple[str, str] | None
    hsts_seconds: int
    trusted_proxy_count: int


@dataclass(frozen=True)
class MetricsConfig:
    token: str
    allowed_addresses: list[str]

    @property
    def enabled(self) -> bool:
        return bool(self.token or self.allowed_addresses)


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
    security: SecurityConfig
    private_storage: dict
    metrics: MetricsConfig
    log_format: str


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


def parse_int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}, not {raw!r}.")
    return value


def parse_proxy_ssl_header(env: Mapping[str, str]) -> tuple[str, str] | None:
    """ "X-Forwarded-Proto: https" -> ("HTTP_X_FORWARDED_PROTO", "https"), the form Django expects."""
    raw = (env.get("SECURE_PROXY_SSL_HEADER") or "").strip()
    if not raw:
        return None
    header, sep, value = raw.partition(":")
    header, value = header.strip(), value.strip()
    if not sep or not header or not value or not all(c.isalnum() or c == "-" for c in header):
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https' (header: value), not {raw!r}."
        )
    return "HTTP_" + header.upper().replace("-", "_"), value


def parse_security(env: Mapping[str, str], debug: bool) -> SecurityConfig:
    # Production (DEBUG off) is strict by default; development and the embedded demo are not,
    # so that `make run` works over plain HTTP with the printed demo logins.
    return SecurityConfig(
        require_staff_mfa=parse_bool(env, "REQUIRE_STAFF_MFA", default=not debug),
        staff_idle_timeout_minutes=parse_int(env, "STAFF_IDLE_TIMEOUT_MINUTES", default=30, minimum=1),
        ssl_redirect=parse_bool(env, "SECURE_SSL_REDIRECT", default=not debug),
        proxy_ssl_header=parse_proxy_ssl_header(env),
        hsts_seconds=parse_int(env, "SECURE_HSTS_SECONDS", default=0 if debug else 31_536_000),
        trusted_proxy_count=parse_int(env, "TRUSTED_PROXY_COUNT", default=0),
    )


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
        # One persistent connection per thread (Django's connections are per thread): each of
        # gunicorn's threads and Celery's solo worker serve one request or task at a time. A pool
        # would check a connection out and back in on every request, which costs a signed-in page
        # about a fifth of its CPU (README, Benchmarks).
        db["CONN_MAX_AGE"] = parse_int(env, "DATABASE_CONN_MAX_AGE", default=600)
        # A kept connection may have been dropped since its last request (PostgreSQL restarted, a
        # failover): checked before a request or task first uses it and replaced if dead, instead of
        # failing that request. Measured by `make surge`'s PostgreSQL restart (docs/benchmarks.md).
        db["CONN_HEALTH_CHECKS"] = True
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


def parse_private_storage(env: Mapping[str, str]) -> dict:
    """STORAGES["private"]: the local folder, or a private S3-compatible bucket when S3_BUCKET is set."""
    bucket = (env.get("S3_BUCKET") or "").strip()
    if not bucket:
        return {"BACKEND": "ops.storage.PrivateFileSystemStorage"}
    endpoint = (env.get("S3_ENDPOINT_URL") or "").strip()
    if endpoint and urlparse(endpoint).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(f"S3_ENDPOINT_URL must start with https:// (or http://), not {endpoint!r}.")
    access_key, secret_key = (env.get("S3_ACCESS_KEY_ID") or "").strip(), (env.get("S3_SECRET_ACCESS_KEY") or "")
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together.")
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "region_name": (env.get("S3_REGION") or "").strip() or None,
        "location": (env.get("S3_PREFIX") or "").strip().strip("/"),
        "querystring_expire": parse_int(env, "S3_PRESIGNED_SECONDS", default=60, minimum=1),
        "presigned_downloads": parse_bool(env, "S3_PRESIGNED_DOWNLOADS", default=False),
    }
    if access_key:
        options.update(access_key=access_key, secret_key=secret_key)
    return {"BACKEND": "ops.storage.PrivateS3Storage", "OPTIONS": options}


def parse_metrics(env: Mapping[str, str]) -> MetricsConfig:
    """/metrics answers only a bearer token or listed addresses; with neither set it does not exist."""
    import ipaddress

    addresses = parse_list(env, "METRICS_ALLOWED_IPS", [])
    for address in addresses:
        try:
            ipaddress.ip_network(address, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"METRICS_ALLOWED_IPS must list addresses or networks (10.0.0.0/8), not {address!r}."
            ) from None
    token = (env.get("METRICS_TOKEN") or "").strip()
    if token and len(token) < 16:
        raise ImproperlyConfigured("METRICS_TOKEN must be at least 16 characters long.")
    return MetricsConfig(token=token, allowed_addresses=addresses)


def parse_log_format(env: Mapping[str, str]) -> str:
    value = (env.get("LOG_FORMAT") or "text").strip().lower()
    if value not in {"text", "json"}:
        raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {value!r}.")
    return value


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
        security=parse_security(env, debug),
        private_storage=parse_private_storage(env),
        metrics=parse_metrics(env),
        log_format=parse_log_format(env),
    )
