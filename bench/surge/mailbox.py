"""An e-mail backend that records each message sent, one JSON line each, for the surge's data check."""

import hashlib
import json
import os

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class LoggingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        # O_APPEND and one write per line: the worker's processes append without interleaving.
        fd = os.open(settings.SURGE_MAIL_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            for m in messages:
                line = {"to": m.to, "subject": m.subject, "body": hashlib.sha256(m.body.encode()).hexdigest()}
                os.write(fd, (json.dumps(line) + "\n").encode())
        finally:
            os.close(fd)
        return len(messages)
