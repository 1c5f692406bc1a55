"""The night's faults, injected while founders work, and what /healthz and the portal did meanwhile.

Each fault is a function of the running stack; the timeline records when it began and when the
service was back. A poller asks /healthz twice a second and a probe founder autosaves twice a
second (as a browser would), so the report can say what /healthz reported during the fault and
how long after it the portal answered a founder again by itself.
"""

import contextlib
import json
import os
import random
import re
import signal
import threading
import time

import requests

from bench.surge import services
from bench.surge.page import Page


class Watch(threading.Thread):
    """Polls /healthz and a probe founder's autosave; keeps (time, healthz status, probe ok)."""

    def __init__(self, base: str, probe: dict):
        super().__init__(daemon=True)
        self.base, self.probe = base, probe
        self.samples = []
        self.stopped = threading.Event()

    def run(self):
        session = requests.Session()
        session.cookies.set("sessionid", self.probe["session"])
        page = None
        n = 0
        while not self.stopped.is_set():
            t = time.time()
            try:
                r = requests.get(f"{self.base}/healthz", timeout=10)
                health = r.json() if r.headers.get("Content-Type", "").startswith("application/json") else {}
                health = {"code": r.status_code, **health}
            except Exception as exc:  # noqa: BLE001
                health = {"code": None, "error": type(exc).__name__}
            ok = "no answer"
            try:
                if page is None:
                    r = session.get(f"{self.base}/applications/{self.probe['app']}/edit/", timeout=30)
                    page = Page(r.content) if r.status_code == 200 else None
                if page is not None:
                    n += 1
                    page.set("motivation", f"Probe edit {n}")
                    request, sent = page.autosave_request(session.cookies.get("csrftoken", ""), self.base)
                    r = session.post(f"{self.base}/applications/{self.probe['app']}/autosave/", timeout=30, **request)
                    body = r.json() if r.headers.get("Content-Type", "").startswith("application/json") else {}
                    ok = True if body.get("status") == "saved" else f"{r.status_code} {body.get('status', 'not JSON')}"
                    if ok is True:
                        page.saved(sent, body["version"])
                    elif body.get("status") == "conflict" or r.status_code >= 400:
                        page = None
            except Exception as exc:  # noqa: BLE001
                ok = type(exc).__name__
                page = None
            # The probe's time is when its answer came: a save that started before a fault and
            # failed in it belongs to the fault.
            self.samples.append({"t": t, "health": health, "probe": ok, "tp": time.time()})
            self.stopped.wait(max(0.0, 0.5 - (time.time() - t)))


def kill_gunicorn_worker(stack, timeline):
    workers = services.children(stack.web.pid)
    victim = random.choice(workers)
    os.kill(victim, signal.SIGKILL)
    timeline.update(began=time.time(), back=time.time(), detail=f"SIGKILL to worker {victim} of {len(workers)}")


def kill_celery(stack, timeline, down=30):
    timeline["began"] = time.time()
    stack.worker.kill(signal.SIGKILL)
    stack.worker.proc.wait()
    time.sleep(down)
    stack.worker.start()
    timeline.update(back=time.time(), detail=f"worker and its pool killed (SIGKILL), started again {down} s later")


def restart_redis(stack, timeline, down=3):
    timeline["began"] = time.time()
    stack.redis.stop()
    time.sleep(down)
    stack.redis.start()
    timeline.update(
        back=time.time(), detail=f"redis-server stopped, started again {down} s later (append-only file kept)"
    )


def restart_postgres(stack, timeline, down=5):
    timeline["began"] = time.time()
    stack.pg.stop(mode="fast")  # every connection dropped
    time.sleep(down)
    stack.pg.start()
    timeline.update(back=time.time(), detail=f"PostgreSQL stopped (fast: connections dropped), started {down} s later")


FAULTS = {
    "worker": ("a gunicorn worker killed (SIGKILL)", kill_gunicorn_worker),
    "celery": ("the Celery worker killed, restarted 30 s later", kill_celery),
    "redis": ("Redis restarted", restart_redis),
    "postgres": ("PostgreSQL restarted", restart_postgres),
}


def summarise(name: str, timeline: dict, samples: list, failures: list, until: float) -> dict:
    """What /healthz said and when founders were served again, between the fault and `until`."""
    began, back = timeline["began"], timeline.get("back", timeline["began"])
    window = [s for s in samples if began <= s["t"] < until]
    seen = {}  # what /healthz said (numbers left out), first and last time after the fault began
    for s in window:
        if s["health"].get("status") == "ok" and s["health"].get("code") == 200:
            continue
        shown = ", ".join(
            f"{k} {v}"
            for k, v in s["health"].items()
            if k in ("code", "status", "database", "broker", "sweep", "worker", "error")
        )
        key = re.sub(r"\d+ s ago", "… s ago", shown)
        first, _last = seen.get(key, (s["t"], s["t"]))
        seen[key] = (first, s["t"])
    reported = [f"{key} (+{first - began:.0f} to +{last - began:.0f} s)" for key, (first, last) in seen.items()]
    probes = [s for s in samples if began <= s["tp"] < until]
    bad = [s for s in probes if s["probe"] is not True]
    recovered_at = None
    last_bad = max((s["tp"] for s in bad), default=None)
    if last_bad is None:
        recovered_at = began
    else:
        after = [s["tp"] for s in probes if s["tp"] > last_bad and s["probe"] is True]
        recovered_at = after[0] if after else None
    failed = [f for f in failures if began <= f["t"] < until]
    return {
        "fault": FAULTS[name][0],
        "detail": timeline.get("detail", ""),
        "down_s": back - began,
        "recovered_after_s": None if recovered_at is None else recovered_at - began,
        "recovered_after_back_s": None if recovered_at is None else max(0.0, recovered_at - back),
        "healthz_reported": reported,
        "failed_requests": len(failed),
        "last_failure_after_s": max((f["t"] - began for f in failed), default=None),
        "failure_kinds": sorted({f["name"] for f in failed}),
        "probe_failures": sorted({str(s["probe"]) for s in bad}),
    }


def read_failures(path) -> list:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text().splitlines():
        with contextlib.suppress(ValueError):  # a line being written as the client stopped
            rows.append(json.loads(line))
    return rows
