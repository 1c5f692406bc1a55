"""make surge: deadline night under load, then under faults, with the data check after each.

    make surge                                      # 1,500 founders for 10 minutes, then the faults
    make surge SURGE_FOUNDERS=100 SURGE_MINUTES=1   # quick: a development or CI-size check
    make surge SURGE_SEARCH=1                       # steps of 50 to 1,500 founders: the highest count met
    .venv/bin/python -m bench.surge --help          # every parameter

Starts its own stack on loopback (ports --port .. --port+2): a throw-away PostgreSQL cluster
(initdb), a redis-server, gunicorn with the production configuration, a Celery worker and beat;
seeds an open call whose deadline is the end of the run, with founders holding complete drafts;
runs Locust headless (bench/surge/locustfile.py); prints each target as met or missed and the data
check. Exit status 1 when the data check finds a lost or doubled edit, submission, deck or e-mail.
Needs PostgreSQL's server binaries (initdb, pg_ctl) and redis-server; nothing else of the machine
is touched. Logs and results: .data/surge/<time>/.
"""

import argparse
import csv
import datetime as dt
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.surge import faults as fault_kit  # noqa: E402
from bench.surge import services  # noqa: E402

TARGETS = (("autosave", 150), ("form (first load)", 300), ("submit", 400), ("upload deck", 1500))


@dataclass
class Stack:
    """What runs; filled in as it starts, so that a failed start still stops what did start."""

    logs: Path
    folder: Path | None = None
    base: str = ""
    env: dict | None = None
    pg: services.Postgres | None = None
    redis: services.Process | None = None
    web: services.Process | None = None
    worker: services.Process | None = None
    beat: services.Process | None = None


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def start_stack(stack: Stack, port: int) -> Stack:
    busy = [p for p in (port, port + 1, port + 2) if not port_free(p)]
    if busy:
        sys.exit(f"Port(s) {busy} already in use (a surge still running?): SURGE_PORT=… moves all three.")
    logs = stack.logs
    folder = stack.folder = Path(tempfile.mkdtemp(prefix="surge-"))
    folder.chmod(0o711)  # the cluster's owner (postgres, when run as root) must reach its folder
    pg = services.Postgres(folder / "pg", port + 1)
    print(f"PostgreSQL: a private cluster on 127.0.0.1:{port + 1} ({pg.data})", flush=True)
    pg.init()
    stack.pg = pg
    pg.start()
    pg.create_database()
    stack.redis = services.redis(folder, port + 2).start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.surge.settings",
        "DATABASE_URL": pg.url,
        "REDIS_URL": f"redis://127.0.0.1:{port + 2}/0",
        "DEBUG": "false",
        "SECRET_KEY": "surge-only-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "REQUIRE_STAFF_MFA": "false",
        "EMAIL_URL": "dummymail://",
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SURGE_MAIL_LOG": str(logs / "mail.jsonl"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("METRICS_TOKEN", None)
    env.pop("METRICS_ALLOWED_IPS", None)
    os.environ.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    print("Migrating and collecting static files…", flush=True)
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=env, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], check=True, env=env, cwd=ROOT)
    import django

    django.setup()
    stack.base, stack.env = f"http://127.0.0.1:{port}", env
    stack.web = services.gunicorn(env, port, logs).start()
    stack.worker = services.celery_worker(env, logs).start()
    stack.beat = services.celery_beat(env, logs).start()
    # Four workers importing Django on a busy 2-core machine can take a minute or more.
    services.wait_http(f"{stack.base}/healthz", seconds=300)
    # In production beat has swept long before the night; here the first sweep would come 5 minutes
    # after the start, and /healthz would say "degraded" until then.
    from accelerator.celery import app

    app.send_task("reminders.tasks.sweep")
    return stack


def stop_stack(stack: Stack, keep: bool = False) -> None:
    for process in (stack.beat, stack.worker, stack.web, stack.redis):
        if process is not None:
            process.stop()
    if stack.pg is not None:
        stack.pg.stop(mode="fast")
    if stack.folder is not None and not keep:
        shutil.rmtree(stack.folder, ignore_errors=True)


def text_fields() -> dict:
    from applications.answers import SECTIONS
    from applications.forms import TEXTAREAS

    fields = {part.key: [a.name for a in part.answers if a.name in TEXTAREAS] for part in SECTIONS}
    return {key: names for key, names in fields.items() if names}


def read_stats(path: Path) -> dict:
    rows = {}
    with path.open() as fh:
        for row in csv.DictReader(fh):
            name = row["Name"]

            def num(key, row=row):
                value = row.get(key, "N/A")
                return None if value in ("N/A", "", None) else float(value)

            rows[name] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": num("Requests/s"),
                "p50": num("50%"),
                "p95": num("95%"),
                "p99": num("99%"),
                "max": num("Max Response Time"),
            }
    return rows


class LoadSampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.samples, self.stopped = [], threading.Event()

    def run(self):
        while not self.stopped.wait(5):
            self.samples.append(os.getloadavg()[0])

    def summary(self) -> dict:
        s = self.samples or [os.getloadavg()[0]]
        return {"mean": sum(s) / len(s), "max": max(s)}


def wait_quiet(access_log: Path, quiet_s: float = 3, longest_s: float = 40) -> bool:
    """Requests the stopped client left in flight are still served (and may submit): wait for them.
    False when gunicorn was still answering after longest_s (a saturated run's backlog)."""
    deadline = time.monotonic() + longest_s
    size, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now_size = access_log.stat().st_size if access_log.exists() else 0
        if now_size != size:
            size, since = now_size, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return True
        time.sleep(0.5)
    return False


def fresh_web(stack: Stack) -> None:
    """A saturated run leaves thousands of requests queued in gunicorn that its clients gave up
    on; serving them would take minutes and skew whatever is measured next (the CPU calibration
    once timed out behind them). Restart gunicorn, as a deploy would, and wait until it answers."""
    if wait_quiet(stack.logs / "access.log", longest_s=30):
        return
    print("   gunicorn still serving the run's backlog: restarting it", flush=True)
    stack.web.stop(timeout=10)
    stack.web = services.gunicorn(stack.env, int(stack.base.rsplit(":", 1)[1]), stack.logs).start()
    services.wait_http(f"{stack.base}/healthz", seconds=300)


def wait_for_mail(run: str, quiet_s: float = 30) -> dict:
    """E-mails still pending after the run go out through the worker; those whose task was lost
    (a killed worker, a restarted broker) wait for the sweep, which beat starts every 5 minutes:
    the bench sends that same sweep task (mail.tasks.resend_pending) once instead of waiting."""
    from accelerator.celery import app
    from bench.surge.check import pending_mail

    deadline = time.monotonic() + quiet_s
    while time.monotonic() < deadline and pending_mail(run):
        time.sleep(2)
    left = pending_mail(run)
    swept = 0
    if left:
        swept = left
        app.send_task("mail.tasks.resend_pending", kwargs={"grace_seconds": 0})
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and pending_mail(run):
            time.sleep(2)
    return {
        "pending_after_run": left,
        "sent_by_sweep": swept - pending_mail(run) if swept else 0,
        "left": pending_mail(run),
    }


def run_scenario(stack: Stack, args, *, label: str, founders: int, minutes: float, faults: list[str]) -> dict:
    from bench.surge import check, seed

    run = f"{label}{int(time.time()) % 1_000_000}"
    out = stack.logs / run
    out.mkdir(parents=True)
    seconds = int(minutes * 60)
    print(
        f"\n== {run}: {founders:,} founders arriving at {args.rate}/s for {seconds} s, "
        f"faults: {', '.join(faults) or 'none'}",
        flush=True,
    )
    started = time.perf_counter()
    data = seed.seed(run, founders + 1, args.organisers, args.reviewers, minutes)
    probe = data["founders"].pop()  # the fault watch's own founder
    data = seed.plan(
        data,
        seconds=seconds,
        login_share=args.login_share,
        upload_share=args.upload_share,
        submit_share=args.submit_share,
        submit_peak=args.submit_peak,
    )
    emails = [f["email"] for f in data["founders"]] + [probe["email"]] + data["organisers"] + data["reviewers"]
    cookies = dict(zip(emails, seed.sessions(emails), strict=True))
    for f in [*data["founders"], probe]:
        f["session"] = cookies[f["email"]]
    data["organiser_sessions"] = [cookies[e] for e in data["organisers"]]
    data["reviewer_sessions"] = [cookies[e] for e in data["reviewers"]]
    data["text_fields"] = text_fields()
    data["password"] = seed.PASSWORD
    seed.write(out / "plan.json", data)
    print(f"   seeded in {time.perf_counter() - started:.0f} s", flush=True)
    from django.utils import timezone

    for _ in range(40):  # every gunicorn worker has served a form page before the founders come
        urllib.request.urlopen(
            urllib.request.Request(
                f"{stack.base}/applications/{probe['app']}/edit/", headers={"Cookie": f"sessionid={probe['session']}"}
            ),
            timeout=30,
        ).read()
    # The deadline is the end of the run (a margin for Locust's start and the last requests).
    seed.open_until(data["call"], timezone.now() + dt.timedelta(seconds=seconds + 60))
    load = LoadSampler()
    load.start()
    watch = None
    if faults:
        watch = fault_kit.Watch(stack.base, probe)
        watch.start()
    command = [
        str(services.BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "surge" / "locustfile.py"),
        "--headless",
        "-u",
        str(founders + args.organisers + args.reviewers),
        "-r",
        str(args.rate),
        "-t",
        f"{seconds}s",
        "--host",
        stack.base,
        "--csv",
        str(out / "locust"),
        "--only-summary",
        "--stop-timeout",
        "5",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    env = {
        **stack.env,
        "SURGE_PLAN": str(out / "plan.json"),
        "SURGE_OUT": str(out),
        "SURGE_ORGANISERS": str(args.organisers),
        "SURGE_REVIEWERS": str(args.reviewers),
    }
    with (out / "locust.log").open("w") as log:
        locust = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            began = time.time()
            timelines, mid_checks = {}, {}
            for i, name in enumerate(faults):
                # Spread over the first 90 % of the run (the last faults need time to show recovery).
                at = began + seconds * 0.9 * (i + 0.5) / len(faults)
                time.sleep(max(0.0, at - time.time()))
                timeline = timelines[name] = {}
                print(f"   fault at {time.time() - began:.0f} s: {fault_kit.FAULTS[name][0]}", flush=True)
                fault_kit.FAULTS[name][1](stack, timeline)
                time.sleep(10)  # then the same data check as at the end, on what was acknowledged so far
                mid_checks[name] = check.data_check(out, data["call"], run, final=False)
                print(f"   data check after it: {'ok' if mid_checks[name]['data_ok'] else 'DATA LOST'}", flush=True)
            locust.wait()
        except BaseException:
            locust.kill()  # a failed fault or check must not leave the load running
            raise
    load.stopped.set()
    if watch:
        watch.stopped.set()
        watch.join()
    wait_quiet(stack.logs / "access.log")
    mail = wait_for_mail(run)
    result = check.data_check(out, data["call"], run, final=True)
    failures = fault_kit.read_failures(out / "failures.jsonl")
    fault_rows = []
    ends = [timelines[n]["began"] for n in faults[1:]] + [time.time()]
    for name, end in zip(faults, ends[: len(faults)], strict=True):
        row = fault_kit.summarise(name, timelines[name], watch.samples, failures, end)
        row["data_ok"] = mid_checks[name]["data_ok"]
        fault_rows.append(row)
    summary = {
        "run": run,
        "founders": founders,
        "seconds": seconds,
        "rate": args.rate,
        "stats": read_stats(out / "locust_stats.csv"),
        "check": result,
        "mail": mail,
        "load": load.summary(),
        "faults": fault_rows,
        "plan": data,
    }
    (out / "result.json").write_text(
        json.dumps({k: v for k, v in summary.items() if k != "plan"}, indent=1, default=str)
    )
    return summary


def targets(summary: dict) -> list[tuple[str, float | None, str, bool]]:
    stats = summary["stats"]
    rows = []
    for name, limit in TARGETS:
        p95 = stats.get(name, {}).get("p95")
        # None: no such request in the run (a short run may have no upload), so nothing to judge.
        rows.append((f"{name} p95 (ms)", p95, f"<= {limit}", None if p95 is None else p95 <= limit))
    errors = stats.get("Aggregated", {}).get("failures", 0)
    rows.append(("errors (all requests)", errors, "0", errors == 0))
    rows.append(
        ("lost or doubled data", 0 if summary["check"]["data_ok"] else "yes", "none", summary["check"]["data_ok"])
    )
    return rows


def p95_met(summary: dict) -> bool:
    return all(ok is not False for _n, _v, _t, ok in targets(summary))


def print_run(summary: dict, cpu: dict | None = None) -> None:
    s = summary
    print(f"\n### {s['run']}: {s['founders']:,} founders, {s['seconds']} s, arriving at {s['rate']}/s")
    print(
        f"Load average (1 min) during the run: mean {s['load']['mean']:.1f}, max {s['load']['max']:.1f}, "
        f"on {os.cpu_count()} cores.\n"
    )
    print("| request | count | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, r in sorted(s["stats"].items(), key=lambda kv: (kv[0] == "Aggregated", kv[0])):
        print(
            f"| {name} | {r['requests']:,} | {r['rps'] or 0:.1f} | {r['p50'] or 0:.0f} | {r['p95'] or 0:.0f} "
            f"| {r['p99'] or 0:.0f} | {r['max'] or 0:.0f} | {r['failures']} |"
        )
    if not s["faults"]:
        print("\n| target | result | limit | met |")
        print("| --- | --- | --- | --- |")
        for name, value, limit, ok in targets(s):
            shown = f"{value:.0f}" if isinstance(value, float) else "—" if value is None else str(value)
            verdict = "not measured" if ok is None else "met" if ok else "MISSED"
            print(f"| {name} | {shown} | {limit} | {verdict} |")
    if cpu:
        print(
            f"\nCPU per request (gunicorn processes, calibration: {cpu['requests_each']} sequential requests "
            f"of one kind at a time): autosave {cpu['autosave_ms']:.1f} ms (aim <= 5), "
            f"form page first load {cpu['form_first_ms']:.1f} ms "
            f"(aim <= 40), repeat {cpu['form_repeat_ms']:.1f} ms."
        )
    for f in s["faults"]:
        rec = (
            "not before the next fault (or the end)"
            if f["recovered_after_s"] is None
            else f"{f['recovered_after_s']:.1f} s after it began"
        )
        if f.get("probe_failures"):
            rec += f" (the probe founder's failed saves: {', '.join(f['probe_failures'])})"
        after_back = "-" if f["recovered_after_back_s"] is None else f"{f['recovered_after_back_s']:.1f} s"
        last = "-" if f["last_failure_after_s"] is None else f"{f['last_failure_after_s']:.1f} s"
        kinds = ", ".join(f["failure_kinds"]) or "none"
        health = "; ".join(f["healthz_reported"]) or "ok throughout"
        print(
            f"\n- **{f['fault']}** ({f['detail']}): founders served again {rec} ({after_back} after the service "
            f"was back); {f['failed_requests']} requests failed, the last {last} after it began ({kinds}); "
            f"/healthz reported: {health}; data check after it: {'ok' if f['data_ok'] else 'DATA LOST'}."
        )
    c, m = s["check"], s["mail"]
    print(
        f"\nData check: {c['edits_acknowledged']:,} acknowledged fields, {c['edits_lost']} lost, "
        f"{c['edits_different']} different; "
        f"{c['submissions_acknowledged']} acknowledged submissions ({c['submitted_in_db']} submitted in the database), "
        f"{c['submissions_missing']} missing, {c['submitted_twice']} submitted twice, "
        f"{c['confirmations_not_exactly_one']} without exactly one confirmation; {c['decks_acknowledged']} decks, "
        f"{c['decks_bad']} unreadable or different; e-mails {c['mails']}, {c['mails_sent_twice']} sent twice, "
        f"{m['pending_after_run']} pending after the run ({m['sent_by_sweep']} sent by the sweep, "
        f"{m['left']} left) — {'OK' if c['data_ok'] and c['mail_ok'] else 'FAILED'}."
    )
    if not c["data_ok"]:
        print(f"Examples: {c['examples']}")


def print_steps(runs: list[dict]) -> None:
    """One line per run without faults, as the README's deadline-night table."""
    print(
        "\n| founders with the form open | autosaves/s | autosave p50 / p95 / p99 | first form load p50 / p95 "
        "| submit p95 | upload p95 | errors | lost edits | every target |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")

    def ms(value):
        return "—" if value is None else f"{value:,.0f}"

    for s in runs:
        st = s["stats"]
        a, f = st.get("autosave", {}), st.get("form (first load)", {})
        print(
            f"| {s['founders']:,} | {a.get('rps') or 0:.0f} "
            f"| {ms(a.get('p50'))} / {ms(a.get('p95'))} / {ms(a.get('p99'))} ms "
            f"| {ms(f.get('p50'))} / {ms(f.get('p95'))} ms | {ms(st.get('submit', {}).get('p95'))} ms "
            f"| {ms(st.get('upload deck', {}).get('p95'))} ms | {st.get('Aggregated', {}).get('failures', 0)} "
            f"| {s['check']['edits_lost']} | {'met' if p95_met(s) else 'missed'} |"
        )


def main():
    env = os.environ
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--founders", type=int, default=int(env.get("SURGE_FOUNDERS") or 1500))
    parser.add_argument("--minutes", type=float, default=float(env.get("SURGE_MINUTES") or 10))
    parser.add_argument(
        "--rate", type=float, default=float(env.get("SURGE_RATE") or 5), help="founders arriving per second"
    )
    parser.add_argument(
        "--faults", default=env.get("SURGE_FAULTS") or "worker,celery,redis,postgres", help="comma-separated, or none"
    )
    parser.add_argument(
        "--fault-founders",
        type=int,
        default=int(env.get("SURGE_FAULT_FOUNDERS") or 0),
        help="default: as --founders, at most 600",
    )
    parser.add_argument(
        "--fault-minutes",
        type=float,
        default=float(env.get("SURGE_FAULT_MINUTES") or 0),
        help="default: 4 (2.5 in quick mode)",
    )
    parser.add_argument("--search", action="store_true", default=bool(env.get("SURGE_SEARCH")))
    parser.add_argument("--steps", default=env.get("SURGE_STEPS") or "50,100,200,300,600,1000,1500")
    parser.add_argument(
        "--step-steady", type=float, default=60, help="seconds each step runs after its last founder arrived"
    )
    parser.add_argument("--organisers", type=int, default=3)
    parser.add_argument("--reviewers", type=int, default=5)
    parser.add_argument(
        "--login-share", type=float, default=0.1, help="founders who sign in with their password on arrival"
    )
    parser.add_argument("--upload-share", type=float, default=0.05)
    parser.add_argument("--submit-share", type=float, default=1 / 3)
    parser.add_argument("--submit-peak", type=float, default=30, help="submissions per second at the deadline")
    parser.add_argument("--port", type=int, default=int(env.get("SURGE_PORT") or 8160))
    parser.add_argument("--cpu-requests", type=int, default=0, help="per kind in the CPU calibration (200; 60 quick)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary PostgreSQL and Redis data")
    args = parser.parse_args()
    faults = [] if args.faults in ("", "none") else args.faults.split(",")
    for name in faults:
        if name not in fault_kit.FAULTS:
            parser.error(f"unknown fault {name!r}: {', '.join(fault_kit.FAULTS)}")
    logs = ROOT / ".data" / "surge" / dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    logs.mkdir(parents=True)
    stack = Stack(logs=logs)
    summaries = []
    started = dt.datetime.now(dt.UTC)
    try:
        start_stack(stack, args.port)
        if args.search:
            for n in (int(x) for x in args.steps.split(",")):
                minutes = (n / args.rate + args.step_steady) / 60
                step = run_scenario(stack, args, label="step", founders=n, minutes=minutes, faults=[])
                summaries.append((step, None))
                if not any(ok for _n, _v, _t, ok in targets(step)[: len(TARGETS)]):
                    print("   every latency target missed: larger steps would miss them too", flush=True)
                    break
                fresh_web(stack)
        else:
            night = run_scenario(stack, args, label="night", founders=args.founders, minutes=args.minutes, faults=[])
            from django.utils import timezone

            from bench.surge.cpu import calibrate
            from bench.surge.seed import open_until

            # The run's deadline has passed: the calibration's founders find their call open again.
            open_until(night["plan"]["call"], timezone.now() + dt.timedelta(hours=1))
            idle = [f for f in night["plan"]["founders"] if f["submit_at"] is None][:10]
            quick = args.minutes < 3
            fresh_web(stack)
            cpu = calibrate(stack.base, stack.web.pid, idle, requests_each=args.cpu_requests or (60 if quick else 200))
            summaries.append((night, cpu))
            if faults:
                summaries.append(
                    (
                        run_scenario(
                            stack,
                            args,
                            label="faults",
                            founders=args.fault_founders or min(args.founders, 600),
                            minutes=args.fault_minutes or (2.5 if quick else 4),
                            faults=faults,
                        ),
                        None,
                    )
                )
    finally:
        stop_stack(stack, keep=args.keep)
    print(f"\n## Deadline night (make surge), {started:%Y-%m-%d %H:%M} UTC")
    print(f"Machine: {machine()}. Logs and results: {logs}")
    for summary, cpu in summaries:
        print_run(summary, cpu)
    clean = [s for s, _c in summaries if not s["faults"]]
    print_steps(clean)
    met = [s["founders"] for s in clean if p95_met(s)]
    print(
        f"\nHighest founder count meeting every p95 target with no error: {max(met):,}"
        if met
        else "\nNo run met every target."
    )
    if len(clean) > 1:
        for k, (name, _limit) in enumerate(TARGETS):
            each = [s["founders"] for s in clean if targets(s)[k][3] is not False]
            print(f"- {name} p95: highest count met {max(each):,}" if each else f"- {name} p95: met at no count")
    ok = all(s["check"]["data_ok"] and s["check"]["mail_ok"] for s, _c in summaries)
    print(f"Data check over all runs: {'OK: nothing lost, nothing doubled' if ok else 'FAILED'}")
    sys.exit(0 if ok else 1)


def machine() -> str:
    from bench.run import machine as describe

    return describe()


if __name__ == "__main__":
    main()
