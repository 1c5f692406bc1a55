"""Deadline night, as founders load it: Locust users driven by the plan bench/surge writes.

Run by bench/surge (`make surge`), headless; not meant to be started by hand. Each founder does what
static/js/application-form.js does in their browser: open the form, type, and send what changed
since the last acknowledged save (URL-encoded, with the version it holds; the CSRF token in a
header) to the autosave URL; keep unsent text and retry with backoff when a save fails; reload the
form after a conflict; upload a deck with the form's save button; submit from the review page.
What the server acknowledged is recorded, so the orchestrator can check it against the database
(bench/surge/check.py).
"""

import itertools
import json
import os
import random
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, constant, events, task

from bench.surge.deck import make_deck, sha256
from bench.surge.page import Page

PLAN = json.loads(Path(os.environ["SURGE_PLAN"]).read_text())
OUT = Path(os.environ["SURGE_OUT"])
FIELDS = PLAN["text_fields"]  # {section: [textarea names]}
SECTIONS = list(FIELDS)
TIMEOUT = 30  # a browser waits longer; past 30 s a founder would have given up on that save
_founders = itertools.count()
_staff = {"org": itertools.count(), "rev": itertools.count()}
STATE = {"start": None}
ACKS: dict = {}  # "app:field" -> [seq, value]
DECKS: dict = {}  # app -> sha256 acknowledged
SUBMITTED: dict = {}  # app -> what the page said
_ack_log = None
_fail_log = None


@events.test_start.add_listener
def _started(**_kwargs):
    global _ack_log, _fail_log
    STATE["start"] = time.time()
    _ack_log = (OUT / "acks.jsonl").open("a", buffering=1)
    _fail_log = (OUT / "failures.jsonl").open("a", buffering=1)
    (OUT / "start").write_text(str(STATE["start"]))


@events.request.add_listener
def _request(request_type, name, response_time, response_length, exception=None, **_kwargs):
    if exception is not None and _fail_log is not None:
        _fail_log.write(
            json.dumps({"t": time.time(), "name": name, "ms": response_time, "error": str(exception)[:200]}) + "\n"
        )


@events.quitting.add_listener
def _quit(**_kwargs):
    (OUT / "client.json").write_text(json.dumps({"acks": ACKS, "decks": DECKS, "submitted": SUBMITTED}))


def _log_ack(kind: str, **values):
    if _ack_log is not None:
        _ack_log.write(json.dumps({"k": kind, **values}) + "\n")


def elapsed() -> float:
    return time.time() - (STATE["start"] or time.time())


class Founder(HttpUser):
    """One founder with the form open until the deadline."""

    wait_time = constant(0)

    def on_start(self):
        index = next(_founders)
        self.f = PLAN["founders"][index] if index < len(PLAN["founders"]) else None
        self.origin = {"Origin": self.host}

    @task
    def night(self):
        if self.f is None:
            gevent.sleep(3600)
            return
        f = self.f
        app = f["app"]
        self.edit_url = f"/applications/{app}/edit/"
        if f["login"]:
            self.sign_in(f["email"])
        else:
            self.client.cookies.set("sessionid", f["session"])
        page = self.load("form (first load)")
        while page is None:  # the portal is down: try again like a founder pressing reload
            gevent.sleep(5)
            page = self.load("form (first load, retry)")
        self.page = page
        self.seq = {name: 0 for names in FIELDS.values() for name in names}
        self.unsent = {}  # field -> value typed and not yet acknowledged
        self.section = random.choice(SECTIONS)
        upload_at = elapsed() + random.uniform(20, 120) if f["upload"] else None
        backoff = 0.0  # after a failed save: 1 s doubling to 30 s, with jitter, as the form's JS
        while True:
            pause = random.uniform(10, 20) if not self.unsent or not backoff else backoff * random.uniform(0.8, 1.2)
            if f["submit_at"] is not None:
                pause = max(0.0, min(pause, f["submit_at"] - elapsed()))
            gevent.sleep(pause)
            if f["submit_at"] is not None and elapsed() >= f["submit_at"]:
                self.submit()
                gevent.sleep(3600)  # submitted: the tab stays open, idle, until the end
                return
            if upload_at is not None and elapsed() >= upload_at:
                if self.upload():
                    upload_at = None
                continue
            if random.random() < 0.15:  # on to another section of the form
                self.section = random.choice(SECTIONS)
                if random.random() < 0.25 and not self.unsent:
                    self.save_section()
                    continue
            if not backoff:  # a retry sends what is unsent; the founder types on otherwise
                self.type()
            ok = self.autosave()
            backoff = 0.0 if ok else min(max(backoff * 2, 1.0), 30.0)

    # --- what the browser does

    def sign_in(self, email):
        while True:  # a founder tries again until they are in
            try:
                self.client.get("/accounts/login/", name="sign-in page", timeout=TIMEOUT)
                token = self.client.cookies.get("csrftoken")
                with self.client.post(
                    "/accounts/login/",
                    data={"login": email, "password": PLAN["password"], "csrfmiddlewaretoken": token},
                    headers=self.origin,
                    name="sign-in",
                    allow_redirects=False,
                    catch_response=True,
                    timeout=TIMEOUT,
                ) as r:
                    if r.status_code == 302:
                        return
                    r.failure(f"sign-in answered {r.status_code}")
            except Exception:  # noqa: BLE001 - recorded by the request event; try again
                pass
            gevent.sleep(5)

    def load(self, name):
        with self.client.get(self.edit_url, name=name, catch_response=True, timeout=TIMEOUT) as r:
            if r.status_code != 200 or b'id="application-form"' not in r.content:
                r.failure(f"form answered {r.status_code}")
                return None
            page = Page(r.content)
        for field, value in getattr(self, "unsent", {}).items():
            page.set(field, value)  # what the founder typed is still in the page (issue 18, item 3)
        return page

    def type(self):
        field = random.choice(FIELDS[self.section])
        self.seq[field] += 1
        seq = self.seq[field]
        # The text says which edit it is, so the check can tell an older save from a newer one.
        words = f"Edit {seq} of {field} by {self.f['email']}: " + " ".join(["our model learns"] * min(seq, 80))
        self.unsent[field] = words[:2000]
        self.page.set(field, self.unsent[field])

    def autosave(self) -> bool:
        token = self.client.cookies.get("csrftoken")
        if token:
            self.page.set("csrfmiddlewaretoken", token)  # the JS copies the cookie into the form too
        sent = dict(self.unsent)
        request, page_sent = self.page.autosave_request(token or "", self.host)
        try:
            with self.client.post(
                f"/applications/{self.f['app']}/autosave/",
                **request,
                name="autosave",
                catch_response=True,
                timeout=TIMEOUT,
            ) as r:
                body = r.json() if r.headers.get("Content-Type", "").startswith("application/json") else {}
                status = body.get("status")
                if r.status_code == 200 and status == "saved":
                    self.page.saved(page_sent, body["version"])
                    for field, value in sent.items():
                        seq = int(value.split(" ", 2)[1])
                        ACKS[f"{self.f['app']}:{field}"] = [seq, value]
                        _log_ack("edit", app=self.f["app"], field=field, seq=seq)
                        if self.unsent.get(field) == value:
                            del self.unsent[field]
                    return True
                r.failure(f"autosave {r.status_code} {status or 'not JSON'}")
                if status == "conflict":
                    # A save whose answer was lost (a fault) did go through: open the saved version
                    # again, with the unsent text put back, as the founder would.
                    page = self.load("form (after conflict)")
                    if page is not None:
                        self.page = page
                elif status == "closed":
                    self.unsent.clear()
                return False
        except Exception:  # noqa: BLE001 - the request event recorded it; the text stays unsent
            return False

    def save_section(self):
        """The section's own "Save draft" button: a full POST, then the form again at that section."""
        with self.client.post(
            self.edit_url,
            files=self.page.multipart(section=(None, self.section)),
            headers=self.origin,
            name="save draft (button)",
            allow_redirects=False,
            catch_response=True,
            timeout=TIMEOUT,
        ) as r:
            if r.status_code != 302:
                r.failure(f"save answered {r.status_code}")
                return
        page = self.load("form (after save)")
        if page is not None:
            self.page = page

    def upload(self) -> bool:
        deck = make_deck(self.f["deck_size"], seed=self.f["app"])
        digest = sha256(deck)
        with self.client.post(
            self.edit_url,
            files=self.page.multipart(pitch_deck=("deck.pdf", deck, "application/pdf"), action=(None, "save")),
            headers=self.origin,
            name="upload deck",
            allow_redirects=False,
            catch_response=True,
            timeout=TIMEOUT * 2,
        ) as r:
            if r.status_code != 302:
                r.failure(f"upload answered {r.status_code}")
                if r.status_code == 409:
                    page = self.load("form (after conflict)")
                    if page is not None:
                        self.page = page
                return False
        DECKS[str(self.f["app"])] = digest
        _log_ack("deck", app=self.f["app"], sha=digest)
        self.unsent.clear()  # the save sent every field too
        page = self.load("form (after save)")
        if page is not None:
            self.page = page
        return True

    def submit(self):
        while self.unsent:
            if not self.autosave():
                gevent.sleep(5)
        app = self.f["app"]
        for _attempt in range(20):
            self.client.get(f"/applications/{app}/submit/", name="submit page", timeout=TIMEOUT)
            token = self.client.cookies.get("csrftoken")
            with self.client.post(
                f"/applications/{app}/submit/",
                data={"csrfmiddlewaretoken": token},
                headers={
                    "Accept": "application/json",
                    "X-Requested-With": "fetch",
                    "X-CSRFToken": token or "",
                    **self.origin,
                },
                name="submit",
                allow_redirects=False,
                catch_response=True,
                timeout=TIMEOUT,
            ) as r:
                # A plain form post is redirected; the form's fetch() gets the address in JSON.
                json_ok = r.status_code == 200 and r.headers.get("Content-Type", "").startswith("application/json")
                if r.status_code != 302 and not json_ok:
                    r.failure(f"submit answered {r.status_code}")
                    gevent.sleep(5)
                    continue
            with self.client.get(f"/applications/{app}/", name="after submit", catch_response=True) as r:
                said = r.text
                if "is submitted" in said or "already submitted" in said:
                    SUBMITTED[str(app)] = "already" if "already submitted" in said else "now"
                    _log_ack("submit", app=app)
                    return
                r.failure("the page after submit does not say it is submitted")
            gevent.sleep(5)


class Organiser(HttpUser):
    """An organiser watching the dashboard and the call's cockpit."""

    fixed_count = int(os.environ.get("SURGE_ORGANISERS", "3"))
    wait_time = between(10, 30)

    def on_start(self):
        index = next(_staff["org"])
        self.client.cookies.set("sessionid", PLAN["organiser_sessions"][index % len(PLAN["organiser_sessions"])])

    @task
    def dashboard(self):
        self.client.get("/admin/", name="organiser dashboard", timeout=TIMEOUT)
        self.client.get(f"/admin/calls/call/{PLAN['call']}/cockpit/", name="organiser cockpit", timeout=TIMEOUT)


class Reviewer(HttpUser):
    """Reviewers are idle that night: signed in, one look at their queue now and then."""

    fixed_count = int(os.environ.get("SURGE_REVIEWERS", "5"))
    wait_time = between(120, 300)

    def on_start(self):
        index = next(_staff["rev"])
        self.client.cookies.set("sessionid", PLAN["reviewer_sessions"][index % len(PLAN["reviewer_sessions"])])

    @task
    def queue(self):
        self.client.get("/admin/", name="reviewer home", timeout=TIMEOUT)
