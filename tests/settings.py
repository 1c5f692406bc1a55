"""Settings for the test suite: the real settings, plus what makes tests self-contained and fast."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Tasks run in-process unless a test starts a real worker.
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# The test client speaks plain HTTP; staff tests log in without a second factor unless a test turns
# REQUIRE_STAFF_MFA on (tests/security does). Everything else keeps the production values.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("REQUIRE_STAFF_MFA", "false")

from accelerator.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
