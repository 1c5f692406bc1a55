"""`manage.py check --deploy` with production settings: no warning at all."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def production_env(**extra) -> dict[str, str]:
    # A clean environment: nothing from the test settings (which relax HTTPS) leaks in.
    secret = "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(50))
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "SYSTEMROOT") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="accelerator.settings",
        DEBUG="false",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="apply.example.org",
        **extra,
    )
    return env


def run_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = run_check(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_deploy_check_catches_a_relaxed_setting():
    # The same check fails when production turns HTTPS redirection off without a proxy doing it.
    result = run_check(production_env(SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0"))
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
    assert "security.W004" in result.stderr + result.stdout
