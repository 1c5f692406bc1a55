"""The portal's production settings, as the surge runs them on loopback.

Two differences, neither of which changes the work a request costs:
- the load client talks plain HTTP to gunicorn, where a browser talks HTTPS to the proxy in front:
  cookies are not marked Secure, or the client would never send them back;
- e-mails are "sent" by appending a line per message to SURGE_MAIL_LOG, so the data check can
  count what actually went out (bench/surge/check.py).
"""

import os

from accelerator.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
EMAIL_BACKEND = "bench.surge.mailbox.LoggingBackend"
SURGE_MAIL_LOG = os.environ.get("SURGE_MAIL_LOG", "/tmp/surge-mail.jsonl")
