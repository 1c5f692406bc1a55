"""gunicorn's settings for the web machines: `gunicorn accelerator.wsgi -c python:accelerator.gunicorn_conf`.

A slow or truncated upload must not hold a worker. In production the proxy in front buffers each
request body and hands gunicorn only complete requests (README, "Production"); these settings are
the second line, for a body that still arrives slowly:

- threaded workers (gthread): a connection waiting for its body holds one thread, and the
  worker's other threads keep serving;
- a read timeout on the request body (BODY_READ_TIMEOUT seconds without a byte): the request is
  abandoned and its thread freed, instead of waiting for the worker timeout.

Every value can still be given on the command line (`--workers 8`), which wins over this file.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "gthread"
threads = 4
# A worker whose main loop does not report for this long is restarted (a stuck request).
timeout = 30
graceful_timeout = 30
# Connections kept open between requests of one client (the proxy reuses them).
keepalive = 5
accesslog = "-"
# gunicorn 24+ opens a control socket in the home directory; nothing here uses it.
control_socket_disable = True

# Seconds a request's body may go without a byte arriving before the request is abandoned.
BODY_READ_TIMEOUT = 10


def pre_request(worker, req):
    """Bound every read of this request's body: a client that stops sending frees its thread.

    gunicorn reads the body from the connection's socket as the application asks for it; with a
    timeout on that socket, a read that waits longer raises (Django answers 400 or drops the
    request) and the thread moves on. The next request on the connection sets it again.
    """
    sock = getattr(getattr(req, "unreader", None), "sock", None)
    if sock is not None:
        sock.settimeout(BODY_READ_TIMEOUT)
