"""Log lines that operators can search: each request has an id, and LOG_FORMAT=json writes JSON lines."""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

request_id = contextvars.ContextVar("request_id", default="")
# A proxy's id is kept when it looks like one (letters, digits, dashes; at most 64 characters).
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives each request an id: the proxy's X-Request-ID when it sends a sane one, else a new one.
    Every log line written while the request is served carries it, and so does the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        value = given if VALID_ID.match(given) else uuid.uuid4().hex
        request.request_id = value
        # Kept until the response is closed (request_finished), so that Django's own lines about
        # the request ("Not Found: ...", written after the middleware returned) carry it too.
        request_id.set(value)
        response = self.get_response(request)
        response["X-Request-ID"] = value
        return response


def _forget_request_id(**kwargs):
    request_id.set("")


request_finished.connect(_forget_request_id, dispatch_uid="ops.logs.forget_request_id")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, and
    the exception's traceback when there is one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", False)
        super().__init__(*args, **kwargs)

    def formatTime(self, record, datefmt=None):
        import datetime as dt

        return dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds")
