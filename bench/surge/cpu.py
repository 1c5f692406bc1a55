"""CPU per request of autosave and of the form page, in a calibration phase after the scenario.

Only one kind of request runs at a time, from one client, sequentially: the gunicorn processes'
user + system CPU (from /proc, bench/server.group_cpu_seconds) over the phase divided by the
requests it served. Other engineers' work on the machine changes wall time, much less CPU time.
"""

import requests

from bench.server import group_cpu_seconds
from bench.surge.page import Page


def calibrate(base: str, pgid: int, founders: list[dict], requests_each: int = 200) -> dict:
    sessions = []
    for f in founders:
        s = requests.Session()
        s.cookies.set("sessionid", f["session"])
        sessions.append((f, s))
    # Warm every worker and thread first.
    for f, s in sessions:
        s.get(f"{base}/applications/{f['app']}/edit/", timeout=30)
    result = {}

    def measure(name, one):
        before = group_cpu_seconds(pgid)
        for i in range(requests_each):
            one(i)
        result[name] = 1000 * (group_cpu_seconds(pgid) - before) / requests_each

    def first_load(i):
        f, _s = sessions[i % len(sessions)]
        fresh = requests.Session()  # a browser opening the form: no CSRF or language cookie yet
        fresh.cookies.set("sessionid", f["session"])
        r = fresh.get(f"{base}/applications/{f['app']}/edit/", timeout=30)
        r.raise_for_status()

    def repeat_load(i):
        f, s = sessions[i % len(sessions)]
        s.get(f"{base}/applications/{f['app']}/edit/", timeout=30).raise_for_status()

    pages = {}
    for f, s in sessions:
        pages[f["app"]] = Page(s.get(f"{base}/applications/{f['app']}/edit/", timeout=30).content)

    def autosave(i):
        f, s = sessions[i % len(sessions)]
        page = pages[f["app"]]
        page.set("problem", f"Calibration edit {i}: " + "our model learns " * 20)
        request, sent = page.autosave_request(s.cookies.get("csrftoken", ""), base)
        r = s.post(f"{base}/applications/{f['app']}/autosave/", timeout=30, **request)
        body = r.json()
        if body.get("status") != "saved":
            raise RuntimeError(f"calibration autosave answered {r.status_code} {body}")
        page.saved(sent, body["version"])

    measure("form_first_ms", first_load)
    measure("form_repeat_ms", repeat_load)
    measure("autosave_ms", autosave)
    result["requests_each"] = requests_each
    return result
