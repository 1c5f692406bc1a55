"""Prometheus metrics: request rates and latencies by view, database and cache timings, and the
gauges apps register (outbox, sweep, applications, reviews), read from the database at each scrape.

Off by default: /metrics answers only with METRICS_TOKEN or METRICS_ALLOWED_IPS set, and only then
are requests, queries and cache calls timed. Under gunicorn with several workers, set
PROMETHEUS_MULTIPROC_DIR to an empty folder (emptied at each start) so that a scrape sees every
worker's counts (prometheus-client's multiprocess mode).
"""

import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache.backends.base import BaseCache
from django.db.backends.signals import connection_created
from django.http import Http404, HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUEST_SECONDS = Histogram(
    "portal_http_request_duration_seconds",
    "Time to answer a request, by view (URL name), method and status code.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERY_SECONDS = Histogram(
    "portal_db_query_duration_seconds",
    "Time of each database statement, by connection alias.",
    ["alias"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5),
)
CACHE_SECONDS = Histogram(
    "portal_cache_operation_duration_seconds",
    "Time of each cache call, by cache alias and operation (get, get_many, set...).",
    ["alias", "operation"],
    buckets=(0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2),
)

# Gauges: functions that return metric families, registered by the apps that own the data.
_gauges: list[Callable[[], Iterable[GaugeMetricFamily]]] = []


def register_gauges(function: Callable[[], Iterable[GaugeMetricFamily]]):
    """Apps register a function (in their AppConfig.ready) returning their gauges, computed per scrape."""
    if function not in _gauges:
        _gauges.append(function)
    return function


class PortalCollector(Collector):
    def describe(self):
        return []  # registering must not query the database (prometheus-client calls collect otherwise)

    def collect(self):
        for function in _gauges:
            yield from function()


def gauge(name: str, documentation: str, labels: Iterable[str] = (), rows: Iterable[tuple] = ()) -> GaugeMetricFamily:
    """A gauge family; `rows` are (label values..., value)."""
    family = GaugeMetricFamily(name, documentation, labels=list(labels))
    for *values, value in rows:
        family.add_metric([str(v) for v in values], value)
    return family


# --- Instrumentation, installed only when the endpoint is on.


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or match._func_path) if match else "<unresolved>"
        REQUEST_SECONDS.labels(view, request.method, str(response.status_code)).observe(time.perf_counter() - start)
        return response


def _time_query(execute, sql, params, many, context):
    if not settings.METRICS_ENABLED:
        return execute(sql, params, many, context)
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        QUERY_SECONDS.labels(context["connection"].alias).observe(time.perf_counter() - start)


def _on_connection(sender, connection, **kwargs):
    if _time_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(_time_query)


def install():
    """Called once at start-up (ops.apps): database statements are timed while METRICS_ENABLED."""
    connection_created.connect(_on_connection, dispatch_uid="ops.metrics.time_queries")
    if PortalCollector not in {type(c) for c in REGISTRY._collector_to_names}:
        REGISTRY.register(PortalCollector())


def timed_caches(caches: dict) -> dict:
    """CACHES with each backend wrapped in TimedCache."""
    return {
        alias: {**conf, "BACKEND": "ops.metrics.TimedCache", "TIMED_BACKEND": conf["BACKEND"], "ALIAS": alias}
        for alias, conf in caches.items()
    }


class TimedCache(BaseCache):
    """Any cache backend (TIMED_BACKEND), each call timed into CACHE_SECONDS."""

    def __init__(self, location, params):
        params = dict(params)
        inner = import_string(params.pop("TIMED_BACKEND"))
        self._alias = params.pop("ALIAS", "default")
        self._inner = inner(location, params)
        super().__init__(params)

    def __getattr__(self, name):
        # Backend-specific attributes (the Redis client, key_prefix...) are the inner backend's.
        return getattr(self._inner, name)

    def _timed(operation):
        def method(self, *args, **kwargs):
            start = time.perf_counter()
            try:
                return getattr(self._inner, operation)(*args, **kwargs)
            finally:
                CACHE_SECONDS.labels(self._alias, operation).observe(time.perf_counter() - start)

        method.__name__ = operation
        return method

    add = _timed("add")
    get = _timed("get")
    set = _timed("set")
    touch = _timed("touch")
    delete = _timed("delete")
    get_many = _timed("get_many")
    set_many = _timed("set_many")
    delete_many = _timed("delete_many")
    has_key = _timed("has_key")
    incr = _timed("incr")
    decr = _timed("decr")
    clear = _timed("clear")
    get_or_set = _timed("get_or_set")
    make_key = _timed("make_key")
    close = _timed("close")
    del _timed


# --- The endpoint.


def allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip(), token):
        return True
    if settings.METRICS_ALLOWED_IPS:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_IPS)
    return False


@never_cache
@require_GET
def metrics_view(request):
    """Prometheus' text format. 404 when metrics are off; 403 without the token or an allowed address."""
    if not (settings.METRICS_TOKEN or settings.METRICS_ALLOWED_IPS):
        raise Http404
    if not allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(PortalCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
