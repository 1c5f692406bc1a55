"""A truncated upload against gunicorn started as the README's production section starts it.

One worker only, so that "another request is still served" means the same worker served it. With
gunicorn's default sync worker this request held the worker until the worker timeout killed it
(and nothing else was served meanwhile).
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from accelerator import gunicorn_conf

PROJECT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_status(url: str, timeout: float) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="accelerator.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",  # no TLS proxy in front of this loopback server
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
    )
    log = (tmp_path / "gunicorn.log").open("w")
    command = [sys.executable, "-m", "gunicorn", "accelerator.wsgi", "-c", "python:accelerator.gunicorn_conf"]
    # The README's command, on loopback, with one worker.
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
    server = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=log, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_status(f"{base}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text()[-2000:])
                time.sleep(0.3)
        yield port, base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def test_the_documented_config_uses_threads_and_a_body_read_timeout():
    assert gunicorn_conf.worker_class == "gthread" and gunicorn_conf.threads >= 2
    assert gunicorn_conf.timeout > gunicorn_conf.BODY_READ_TIMEOUT


def test_a_truncated_multipart_upload_does_not_hold_the_worker(gunicorn):
    port, base = gunicorn
    stalled = socket.create_connection(("127.0.0.1", port))
    try:
        part = b'--b\r\nContent-Disposition: form-data; name="pitch_deck"; filename="deck.pdf"\r\n\r\n%PDF-1.7\n'
        # Announces a megabyte, sends a few bytes and stops: what a dropped or hostile client does.
        # With a CSRF cookie and no header, Django reads the body for the form's token.
        stalled.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000\r\n"
            b"Cookie: csrftoken=" + secrets.token_hex(16).encode() + b"\r\n\r\n" + part
        )
        started = time.monotonic()
        time.sleep(0.5)  # the upload is being read

        assert get_status(f"{base}/healthz", timeout=20) in (200, 503)
        assert time.monotonic() - started < 5, "another request waited for the stalled upload"

        stalled.settimeout(gunicorn_conf.timeout + 30)
        answer = stalled.recv(4096)
        held = time.monotonic() - started
    finally:
        stalled.close()
    # The thread gave up after the body read timeout, well before the worker timeout.
    assert gunicorn_conf.BODY_READ_TIMEOUT - 1 <= held < gunicorn_conf.BODY_READ_TIMEOUT + 8
    assert held < gunicorn_conf.timeout
    assert answer == b"" or answer.startswith(b"HTTP/1.1 4")
