"""Faults the outbox must survive, made real: a broker that does not answer, an SMTP server that refuses."""

import smtplib
import socket
from contextlib import contextmanager

from django.core.mail.backends.locmem import EmailBackend

from accelerator.celery import app


def dead_broker_url() -> str:
    """A Redis address on this machine where nothing listens: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def _reset_connection_pools():
    # Celery keeps its broker connections and producers in pools built from the first URL.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    """Tasks are really published to `url` instead of running in-process."""
    conf = app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = url, False
    _reset_connection_pools()
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager = saved
        _reset_connection_pools()


class FlakySMTPBackend(EmailBackend):
    """An SMTP server that refuses the next `failures` messages, then accepts (into mail.outbox)."""

    failures = 0
    refused: list = []

    def send_messages(self, messages):
        if FlakySMTPBackend.failures > 0:
            FlakySMTPBackend.failures -= 1
            FlakySMTPBackend.refused.extend(m.to[0] for m in messages)
            raise smtplib.SMTPServerDisconnected("421 try again later")
        return super().send_messages(messages)
