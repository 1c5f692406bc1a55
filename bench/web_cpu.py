"""CPU and queries per request of the pages measured under gunicorn, in one process.

The machine is shared: requests per second under wrk move with the load of others, CPU time per
request does not (much). Each page is requested through Django's WSGI handler, the same entry point
gunicorn calls, with the same environment as `bench/run.py` (DEBUG off, REDIS_URL cache):

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/web_cpu.py [--requests 500] [--profile landing]
"""

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _environ(path: str, cookie: str) -> dict:
    from django.test.client import RequestFactory

    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    return environ


def measure(handler, path: str, cookie: str, requests: int, profile: bool = False) -> dict:
    """Mean CPU (process time) per request, queries per request, status and response size."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    statuses = set()
    size = 0

    def start_response(status, headers, exc_info=None):
        statuses.add(status.split()[0])

    def one():
        nonlocal size
        body = b"".join(handler(_environ(path, cookie), start_response))
        size = len(body)

    for _ in range(20):  # warm caches, template loaders, connection
        one()
    with connection.execute_wrapper(count):
        queries.clear()
        one()
        per_request = len(queries)
    profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not waiting
    if profiler:
        profiler.enable()
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    for _ in range(requests):
        one()
    cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started_wall
    if profiler:
        profiler.disable()
        profiler.dump_stats(f"/tmp/web_cpu_{path.strip('/').replace('/', '_') or 'home'}.prof")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        print(out.getvalue())
    return {
        "cpu_ms": 1000 * cpu / requests,
        "wall_ms": 1000 * wall / requests,
        "queries": per_request,
        "statuses": sorted(statuses),
        "bytes": size,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--profile", choices=["minimal", "landing", "call", "application", "minimal_session"])
    args = parser.parse_args()
    import os

    from bench.run import ENV_DEFAULTS

    for key, value in ENV_DEFAULTS.items():
        os.environ.setdefault(key, value)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    from bench import web_data

    call = web_data.web_call()
    (app,) = web_data.complete_drafts(call, 1, prefix=f"cpu{int(time.time())}-")
    from bench.web import CSRF_SECRET

    cookie = web_data.browser_cookies(app.owner, CSRF_SECRET)
    handler = get_wsgi_application()
    pages = {
        "minimal": ("/bench/minimal", ""),
        "minimal_session": ("/bench/minimal", cookie),
        "landing": ("/", ""),
        "call": (call.get_absolute_url(), ""),
        "application": (f"/applications/{app.pk}/", cookie),
    }
    print(f"{args.requests} requests each, DEBUG={os.environ['DEBUG']}")
    print("| page | CPU ms/request | wall ms/request | queries | status | bytes |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, (path, cookie_header) in pages.items():
        r = measure(handler, path, cookie_header, args.requests, profile=args.profile == name)
        print(
            f"| {name} {path} | {r['cpu_ms']:.2f} | {r['wall_ms']:.2f} | {r['queries']} "
            f"| {','.join(r['statuses'])} | {r['bytes']} |"
        )


if __name__ == "__main__":
    main()
