"""Django settings. Every deployment-specific value comes from accelerator.config."""

import datetime as dt
import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from accelerator import config

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data"

if (BASE_DIR / ".env").exists():
    import environ

    environ.Env.read_env(BASE_DIR / ".env")

CONFIG = config.load(os.environ, BASE_DIR)
# The embedded default keeps its SQLite file, broker folder and decks here; manage.py works on a fresh clone.
DATA_DIR.mkdir(exist_ok=True)

DEBUG = CONFIG.debug
SECRET_KEY = CONFIG.secret_key
ALLOWED_HOSTS = CONFIG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins
SITE_URL = CONFIG.site_url

INSTALLED_APPS = [
    # Before the admin, so that the call admin's translation tabs load (calls/translation.py).
    "modeltranslation",
    "accelerator.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "accounts",
    "calls",
    "applications",
    "reviews",
    "interviews",
    "cohorts",
    "mail",
    "reminders",
    "demo",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "accelerator.urls"
WSGI_APPLICATION = "accelerator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": CONFIG.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Stored in UTC, shown in the call's zone (Europe/Paris by default).
USE_TZ = True
TIME_ZONE = "Europe/Paris"
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Calls' public texts are entered in both languages (django-modeltranslation, calls/translation.py).
# A text missing in the reader's language is shown in the other one, with a note saying so.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "fr")}

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files (pitch decks, cohort exports) are private: no MEDIA_URL serves them, only
# permission-checked views. In PRIVATE_MEDIA_ROOT, or in a private S3-compatible bucket (S3_BUCKET).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", DATA_DIR / "private"))
STORAGES["private"] = CONFIG.private_storage

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console by default, filemail:// or smtp:// through EMAIL_URL.
vars().update(CONFIG.email)
DEFAULT_FROM_EMAIL = CONFIG.default_from_email
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REDIS_URL = CONFIG.redis_url
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, sharing one client per connection pool (see the module).
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: Django's cached_db on Redis (read from the cache, written through to the database), only
# when every web process shares the cache: with a per-process cache a session ended in one process
# would live on in another. The signed-in user is read from the database on every request
# (django.contrib.auth checks that the account is active and the password unchanged). No page is
# cached: every page is built from the database on every request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport, so the
# embedded `make run` still has a real worker and beat without any service.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_FOLDER = DATA_DIR / "broker"
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        # Broadcast (control) exchanges; kombu's default is ./control in the working directory.
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    # A task not acknowledged within an hour is redelivered; every task is idempotent.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = config.parse_bool(os.environ, "CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_ACCEPT_CONTENT = ["json"]
# Exactly one beat process triggers this (and the daily retention purge below). Reminders are never
# scheduled as ETA/countdown tasks (Redis re-delivers those after the visibility timeout):
# each sweep looks at the clock and the ledger (reminders.Reminder) and sends what is due.
# A sweep not started within its period is dropped: the next one does the same work.
CELERY_BEAT_SCHEDULE = {
    "portal-sweep": {"task": "reminders.tasks.sweep", "schedule": 300.0, "options": {"expires": 280}},
}


# Cohort lists: an XLSX with more rows than this is built by a Celery task and downloaded when ready.
COHORT_EXPORT_XLSX_INLINE_MAX_ROWS = int(os.environ.get("COHORT_EXPORT_XLSX_INLINE_MAX_ROWS", "2000"))

# LOG_FORMAT=json: one JSON object per line, with the request's id (ops.logs).
LOG_FORMAT = CONFIG.log_format
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "ops.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Accounts: django-allauth (e-mail login, mandatory verification, password reset), styled by our templates.
INSTALLED_APPS += ["allauth", "allauth.account"]
MIDDLEWARE += ["allauth.account.middleware.AccountMiddleware", "accounts.middleware.UserLanguageMiddleware"]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "applications:list"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_FORMS = {
    "login": "accounts.entrance_forms.LoginForm",
    "signup": "accounts.entrance_forms.SignupForm",
    "reset_password": "accounts.entrance_forms.ResetPasswordForm",
}
ACCOUNT_USER_DISPLAY = "accounts.adapter.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"

# Founder applications
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "")
PITCH_DECK_MAX_BYTES = 20 * 1024 * 1024
INVITATION_VALID_DAYS = 7

# --- Security (issue 7). Kept together at the end: the login-throttle backend must stay first
# among AUTHENTICATION_BACKENDS and these middlewares after authentication, whatever is added above.
from csp.constants import NONE, SELF  # noqa: E402

INSTALLED_APPS += ["csp", "axes", "django_otp", "django_otp.plugins.otp_totp", "security"]
MIDDLEWARE += [
    # django-csp's, building its header once per process (see the module).
    "security.csp.CachedPolicyCSPMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.StaffIdleTimeoutMiddleware",
    "security.middleware.StaffMFAMiddleware",
    # Last, as django-axes requires: it turns a flagged login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "security.backends.LoginThrottleBackend",
    *globals().get("AUTHENTICATION_BACKENDS", ["django.contrib.auth.backends.ModelBackend"]),
]

# Login throttling: 5 failures for one identifier from one address pause that pair for 15
# minutes. Never a permanent lock, and a stranger elsewhere cannot lock a real user out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "security.client.login_identifier"
AXES_CLIENT_IP_CALLABLE = "security.client.throttle_address"
AXES_LOCKOUT_CALLABLE = "security.views.lockout"
AXES_RESET_ON_SUCCESS = True
# Failures while locked do not extend the lock: it always ends 15 minutes after it began.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_SENSITIVE_PARAMETERS = ["username", "login", "email", "ip_address"]
# The client address for every consumer: security.client.client_ip (axes above through
# throttle_address, which counts an IPv6 client's /64 as allauth does; allauth's rate limits through
# accounts.adapter.AccountAdapter.get_client_ip; allauth's own helper through this setting).
TRUSTED_PROXY_COUNT = CONFIG.security.trusted_proxy_count
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# django-allauth's rate limits, set to match the policy above (README, "Security"). axes alone locks
# an account, and only for the address that failed; allauth's default per-account limit (5 failures
# lock the account for everyone) and its 30 sign-ins a minute per address (a shared office or
# campus address on deadline night) are off. What allauth still limits, per client address or per
# target e-mail address ("key"), counting in the cache:
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins from one address, whatever the accounts (credential stuffing); a success does
    # not count. Past the limit that address is refused for the rest of the window.
    "login_failed": "20/5m/ip,100/h/ip",
    "login": None,
    "signup": "20/m/ip",
    # Password-reset e-mails: per address, and per target address.
    "reset_password": "20/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    # A verification e-mail (sign-up, new address, "account already exists") at most every 3 minutes
    # per target address.
    "confirm_email": "1/180s/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}

# Staff (reviewers, organisers): second factor and idle timeout. Founders keep normal sessions.
REQUIRE_STAFF_MFA = CONFIG.security.require_staff_mfa
STAFF_IDLE_TIMEOUT_MINUTES = CONFIG.security.staff_idle_timeout_minutes
OTP_TOTP_ISSUER = "AI Startup Programme"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Content Security Policy: nothing inline, nothing from elsewhere. Pages put JS in static/js/*.js
# and CSS in static/css/*.css; images may be data: URIs (Bootstrap's icons, the 2FA QR code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        # No page frames anything, except the reviewer's scoring page, which frames the deck
        # from the portal itself (reviews.admin.my_reviews, per response).
        "frame-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Headers and cookies.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# The autosave script re-reads the token from the cookie after a login rotates it; a refusal is JSON for it.
CSRF_FAILURE_VIEW = "accelerator.errors.csrf_failure"
# The language cookie (Django's set_language and accounts.middleware): same rules as the others.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = CONFIG.security.ssl_redirect
# Load balancers probe /healthz, and Prometheus scrapes /metrics, over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_PROXY_SSL_HEADER = CONFIG.security.proxy_ssl_header
SECURE_HSTS_SECONDS = CONFIG.security.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0

# --- Personal data (issue 7): export, erasure and retention (privacy app).
INSTALLED_APPS += ["privacy"]
# Drafts of a call are deleted this many months after it closed (privacy.retention, daily).
DRAFT_RETENTION_MONTHS = config.parse_int(os.environ, "DRAFT_RETENTION_MONTHS", 6, minimum=1)
# django-axes' sign-in records (addresses, identifiers) are deleted after this many days.
LOGIN_LOG_RETENTION_DAYS = config.parse_int(os.environ, "LOGIN_LOG_RETENTION_DAYS", 180, minimum=1)
CELERY_BEAT_SCHEDULE["privacy-purge-old-drafts"] = {
    "task": "privacy.tasks.purge_old_drafts",
    "schedule": 24 * 3600.0,
    "options": {"expires": 3600},
}
if REDIS_URL:
    # A Redis that does not answer must not hold a founder's request for long: handing a task over
    # gives up after a short wait (the outbox row is committed already; the sweep sends it later).
    CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] = 2
    CELERY_TASK_PUBLISH_RETRY_POLICY = {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 2, "socket_timeout": 2})

# --- Operations (issue 19): request ids in the logs, Prometheus metrics (ops app).
# Each request gets an id (the proxy's X-Request-ID when it sends one), put in every log line.
MIDDLEWARE.insert(0, "ops.logs.RequestIdMiddleware")
# /metrics exists only with METRICS_TOKEN or METRICS_ALLOWED_IPS; only then are requests, queries
# and cache calls timed (nothing is measured that nobody reads).
METRICS_TOKEN = CONFIG.metrics.token
METRICS_ALLOWED_IPS = CONFIG.metrics.allowed_addresses
METRICS_ENABLED = CONFIG.metrics.enabled
if METRICS_ENABLED:
    from ops.metrics import timed_caches

    MIDDLEWARE.insert(1, "ops.metrics.RequestMetricsMiddleware")
    CACHES = timed_caches(CACHES)
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"  # JSON lines from the worker too
