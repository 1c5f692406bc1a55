"""CPU and queries per request of the founder's form page, its autosave and its submit, in one process.

The deadline night is founders with the form open, autosaving one text field every 10-20 s
(issue 18). What each of those requests costs the web server is measured here as CPU time
(`process_time`), which the other work on a shared machine moves much less than wall-clock time.
Requests go through Django's WSGI handler, the entry point gunicorn calls, with the environment
of `bench/run.py` (DEBUG off, Redis cache, PostgreSQL):

    DATABASE_URL=... REDIS_URL=... python bench/form_cpu.py [--requests 300] [--profile NAME] [--prepared]

Rows (NAME): `form_first` is the form page as a browser first opens it (signed in, no CSRF or
language cookie yet: a CSRF secret is minted and both cookies set), `form` the same page loaded
again, `autosave`; then a submitter's three requests, as bench/surge/locustfile.py makes them in
the deadline's last minute: the review page (`submit_page`), the submit posted as the page's
script posts it (`submit`, each on a complete draft of its own, made before the clock starts) and
the application's page after it (`after_submit`).

Each autosave sends what static/js/application-form.js sends (docs/autosave.md): URL-encoded, the
version the previous save returned and the one answer changed since, a long one grown by a few
words, with the CSRF token in its header. `--profile` writes a cProfile (CPU time) of that row to
/tmp and prints its top.

On a loaded machine CPU time still moves with the others' work (shared caches, hyper-threads).
Instructions do not: under callgrind only the measured requests are counted, because they run
inside `operator.call`, which nothing else here calls:

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect='_operator_call*' \
        python bench/form_cpu.py --prepared --only autosave --requests 20 --warmup 5

then instructions per request = callgrind's "Collected" / 20.
"""

import argparse
import cProfile
import io
import json
import operator
import os
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    kinds = ["form", "form_first", "autosave", "submit_page", "submit", "after_submit"]
    parser.add_argument("--profile", choices=kinds)
    parser.add_argument("--prepared", action="store_true", help="skip migrate and collectstatic (done before)")
    parser.add_argument("--only", choices=kinds)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()

    from bench.run import ENV_DEFAULTS, prepare_environment

    if args.prepared:
        for key, value in ENV_DEFAULTS.items():
            os.environ.setdefault(key, value)
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        import django

        django.setup()
    else:
        prepare_environment()  # the database created and migrated, static files collected
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.client import RequestFactory

    from bench import web_data
    from bench.web import CSRF_SECRET

    call = web_data.web_call()
    (application,) = web_data.complete_drafts(call, 1, prefix=f"form{int(time.time())}-")
    cookie = web_data.browser_cookies(application.owner, CSRF_SECRET)
    handler = get_wsgi_application()
    factory = RequestFactory()
    state = {"status": "", "body": b"", "version": application.version, "words": 0}

    def start_response(status, headers, exc_info=None):
        state["status"] = status.split()[0]

    def form_page(with_cookie=cookie):
        get(f"/applications/{application.pk}/edit/", with_cookie)

    def form_first():
        """A browser opening the form: signed in, but no CSRF or language cookie yet (bench/surge/cpu.py)."""
        form_page(cookie.split(";")[0])

    def get(path, with_cookie):
        environ = factory._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
        environ["HTTP_COOKIE"] = with_cookie
        state["body"] = b"".join(handler(environ, start_response))

    def post(path, data, with_cookie, page):
        """As the pages' fetch() posts: URL-encoded, CSRF token in the header, JSON wanted."""
        body = urlencode(data).encode()
        environ = factory._base_environ(
            PATH_INFO=path,
            REQUEST_METHOD="POST",
            CONTENT_TYPE="application/x-www-form-urlencoded;charset=UTF-8",
            CONTENT_LENGTH=str(len(body)),
            HTTP_COOKIE=with_cookie,
            HTTP_X_CSRFTOKEN=CSRF_SECRET,
            HTTP_ACCEPT="application/json",
            HTTP_X_REQUESTED_WITH="fetch",
            HTTP_ORIGIN="http://testserver",
            HTTP_REFERER=f"http://testserver{page}",
        )
        environ["wsgi.input"] = io.BytesIO(body)
        state["body"] = b"".join(handler(environ, start_response))

    def autosave():
        state["words"] += 1
        data = {"version": str(state["version"]), "traction": application.traction + " more" * state["words"]}
        post(f"/applications/{application.pk}/autosave/", data, cookie, f"/applications/{application.pk}/edit/")
        if state["status"] == "200":
            state["version"] = json.loads(state["body"])["version"]

    # A submitter's three requests (bench/surge/locustfile.py): the review page, the submit as the
    # page's script posts it, the application's page after. Each submit needs a draft of its own.
    submitted_app, submitted_cookie = application, cookie
    drafts = []
    if args.only in (None, "submit"):
        fresh = web_data.complete_drafts(call, args.requests + args.warmup + 1, prefix=f"submit{int(time.time())}-")
        drafts = [(a, web_data.browser_cookies(a.owner, CSRF_SECRET)) for a in fresh]

    def submit_page():
        get(f"/applications/{application.pk}/submit/", cookie)

    def submit():
        nonlocal submitted_app, submitted_cookie
        submitted_app, submitted_cookie = drafts.pop()
        path = f"/applications/{submitted_app.pk}/submit/"
        post(path, {"csrfmiddlewaretoken": CSRF_SECRET}, submitted_cookie, path)
        if state["status"] == "200" and json.loads(state["body"]).get("status") != "submitted":
            raise RuntimeError(f"submit answered {state['body'][:300]!r}")

    def after_submit():
        get(f"/applications/{submitted_app.pk}/", submitted_cookie)

    def measure(name, one):
        for _ in range(args.warmup):  # warm template loaders, translations, the connection
            one()
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            one()
        if state["status"] != "200":
            raise RuntimeError(f"{name}: HTTP {state['status']}: {state['body'][:500]!r}")
        profiler = cProfile.Profile(time.process_time) if args.profile == name else None
        if profiler:
            profiler.enable()
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        operator.call(lambda: [one() for _ in range(args.requests)])  # what callgrind counts (see above)
        cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started_wall
        if profiler:
            profiler.disable()
            profiler.dump_stats(f"/tmp/form_cpu_{name}.prof")
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(50)
            print(out.getvalue())
        size = len(state["body"])
        per_request = f"{1000 * cpu / args.requests:.2f} | {1000 * wall / args.requests:.2f}"
        return f"| {name} | {per_request} | {len(queries)} | {size} |"

    load = os.getloadavg()[0]
    print(f"{args.requests} requests each, DEBUG={os.environ['DEBUG']}, load average {load:.1f}")
    print("| request | CPU ms/request | wall ms/request | queries | bytes |")
    print("| --- | --- | --- | --- | --- |")
    rows = (
        ("form_first", form_first),
        ("form", form_page),
        ("autosave", autosave),
        ("submit_page", submit_page),
        ("submit", submit),
        ("after_submit", after_submit),
    )
    for name, one in rows:
        if args.only in (None, name):
            print(measure(name, one))


if __name__ == "__main__":
    main()
