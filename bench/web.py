"""HTTP benchmarks under gunicorn: throughput against a minimal view, and a submission burst."""

import http.client
import secrets
import statistics
import string
import threading
import time

from bench import web_data
from bench.server import gunicorn, wrk

CSRF_SECRET = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


def throughput(env: dict, port: int, seconds: int = 10) -> dict:
    """Requests per second and gunicorn CPU per request of the public pages and of a founder's
    application page (its owner's and a co-founder's), beside a minimal view: for information."""
    call = web_data.web_call()
    prefix = f"rps{int(time.time())}-"
    (app,) = web_data.complete_drafts(call, 1, prefix=prefix)
    cookie = web_data.browser_cookies(app.owner, CSRF_SECRET)
    co_founder = web_data.co_founder(app, prefix)
    co_founder_cookie = web_data.browser_cookies(co_founder, CSRF_SECRET)
    # A visitor who has seen one page already holds the CSRF and language cookies.
    anonymous = {"Cookie": f"csrftoken={CSRF_SECRET}"}
    with gunicorn(env, port) as base:
        wrk(f"{base}/bench/minimal", seconds=2)  # warm up every worker
        results = {
            "minimal": wrk(f"{base}/bench/minimal", seconds=seconds, cpu_of=base),
            "minimal_session": wrk(f"{base}/bench/minimal", seconds=seconds, headers={"Cookie": cookie}, cpu_of=base),
            "landing": wrk(f"{base}/", seconds=seconds, headers=anonymous, cpu_of=base),
            "call": wrk(f"{base}{call.get_absolute_url()}", seconds=seconds, headers=anonymous, cpu_of=base),
            "application": wrk(
                f"{base}/applications/{app.pk}/", seconds=seconds, headers={"Cookie": cookie}, cpu_of=base
            ),
            "co_founder": wrk(
                f"{base}/applications/{app.pk}/", seconds=seconds, headers={"Cookie": co_founder_cookie}, cpu_of=base
            ),
        }
    for result in results.values():
        if result["non_2xx"]:
            raise RuntimeError(f"non-2xx responses during the throughput run:\n{result['raw']}")
    out = {f"{key}_rps": result["rps"] for key, result in results.items()}
    out["cpu_ms"] = {key: result["server_cpu_ms"] for key, result in results.items()}
    return out


def _post(port: int, path: str, cookie: str, results: list, index: int):
    started = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = f"csrfmiddlewaretoken={CSRF_SECRET}"
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{cookie}; csrftoken={CSRF_SECRET}",
            },
        )
        status = conn.getresponse().status
        conn.close()
    except OSError as exc:
        status = f"error: {exc}"
    results[index] = (status, time.perf_counter() - started)


def submission_burst(env: dict, port: int, rate: int = 20, seconds: int = 60) -> dict:
    """rate submissions per second for seconds, open loop: each founder submits their own draft once."""
    from applications.models import Application, Status, StatusChange
    from mail.models import OutboxMessage

    call = web_data.web_call(slug=f"bench-submit-{int(time.time())}")
    total = rate * seconds
    apps = web_data.complete_drafts(call, total, prefix=f"{call.slug}-")
    cookies = [f"sessionid={web_data.session_cookie(app.owner)}" for app in apps]
    results: list = [None] * total
    threads = []
    with gunicorn(env, port) as _base:
        start = time.perf_counter()
        for i, (app, cookie) in enumerate(zip(apps, cookies, strict=True)):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            thread = threading.Thread(target=_post, args=(port, f"/applications/{app.pk}/submit/", cookie, results, i))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    latencies = sorted(r[1] for r in results)
    errors = [r[0] for r in results if r[0] != 302]
    ids = [a.pk for a in apps]
    submitted = Application.objects.filter(pk__in=ids, status=Status.SUBMITTED).count()
    transitions = StatusChange.objects.filter(application_id__in=ids, to_status=Status.SUBMITTED).count()
    mails = OutboxMessage.objects.filter(
        kind="application_submitted", to__endswith="@bench.example", to__startswith=f"{call.slug}-"
    ).count()
    return {
        "requests": total,
        "achieved_rate": total / elapsed,
        "p95_ms": latencies[int(0.95 * (total - 1))] * 1000,
        "median_ms": statistics.median(latencies) * 1000,
        "errors": len(errors),
        "error_sample": errors[:3],
        "submitted": submitted,
        "status_changes": transitions,
        "confirmation_mails": mails,
    }
