"""make bench: build a large call, measure, print one table with each target.

Runs against PostgreSQL and Redis from DATABASE_URL and REDIS_URL (defaults: a local
`accelerator_bench` database and Redis db 14). These are benchmarks, not tests: CI does not run them.
"""

import argparse
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENV_DEFAULTS = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/accelerator_bench",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-" + "k" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "REQUIRE_STAFF_MFA": "false",
    "EMAIL_URL": "dummymail://",
    "PRIVATE_MEDIA_ROOT": str(ROOT / ".data" / "bench-private"),
}


def prepare_environment() -> dict:
    for key, value in ENV_DEFAULTS.items():
        os.environ.setdefault(key, value)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1].split("?")[0]
        server = url.rsplit("/", 1)[0] + "/postgres"
        exists = subprocess.run(
            ["psql", server, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not exists:
            subprocess.run(["psql", server, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=os.environ)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], check=True, env=os.environ)
    if url.startswith("postgres"):
        # Statistics and visibility maps as a production server's autovacuum keeps them (it is off on
        # some machines): without a vacuum after the bulk load, no index-only scan is possible.
        subprocess.run(["psql", url.split("?")[0], "-qc", "VACUUM (ANALYZE)"], check=True)
    import django

    django.setup()
    return dict(os.environ)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}"


SECTIONS = ("shortlist", "lock", "admin", "exports", "reminders", "web", "submit")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--only", nargs="*", help="run only these sections: shortlist, lock, admin, exports, reminders, web, submit"
    )
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=8731)
    args = parser.parse_args()
    env = prepare_environment()
    from bench import measure, report, web

    rows = []
    wanted = set(args.only or SECTIONS)
    n = args.applications
    big, seeded = measure.ensure_call("bench-large", n, 3, n, reviewers=max(30, n // 500))
    small, _ = measure.ensure_call("bench-small", 10, 3, 0, reviewers=5)
    if seeded is not None:
        rows.append(
            report.row(
                f"seed_load {n:,} submitted + {n:,} drafts, 3 reviews each (s)",
                seeded,
                "minutes",
                seeded < 600,
                "bulk inserts",
            )
        )
    if "shortlist" in wanted:
        r = measure.shortlist(big)
        rows.append(
            report.row(
                f"shortlist of {n:,} x 3 reviews (s)",
                r["best_s"],
                "<= 2",
                r["best_s"] <= 2,
                f"median {r['median_s']:.2f} s over 3 runs, {r['queries']} queries",
            )
        )
    if "lock" in wanted:
        r = measure.lock(big)
        if r["seconds"] is not None:
            rows.append(
                report.row(
                    f"lock the shortlist: {r['changed']:,} statuses + history (s)",
                    r["seconds"],
                    "<= 60",
                    r["seconds"] <= 60,
                    f"{r['cpu']:.1f} s of Python CPU, {r['queries']} queries, one transaction (rolled back)",
                )
            )
    if "admin" in wanted:
        for r in measure.admin_lists(big, small):
            limit = 1000 if "sorted" in r["name"] else 300
            same = r["queries_big"] == r["queries_small"]
            rows.append(
                report.row(
                    f"admin: {r['name']} p95 (ms)",
                    r["p95_ms"],
                    f"<= {limit}, queries as at 10 rows",
                    r["p95_ms"] <= limit and same,
                    f"{r['queries_big']} queries at {n:,} rows, {r['queries_small']} at 10",
                )
            )
    if "exports" in wanted:
        for fmt, seconds, mib in (("csv", 10, 50), ("json", 10, 50), ("xlsx", 60, 100)):
            r = measure.export_in_subprocess("cohort", big.slug, fmt)
            rows.append(
                report.row(
                    f"cohort export {fmt.upper()}, {n:,} rows (s)",
                    r["seconds"],
                    f"<= {seconds} s, <= {mib} MiB",
                    r["seconds"] <= seconds and r["mib"] <= mib,
                    f"memory growth {r['mib']:.1f} MiB, {r['queries']} queries, {r['bytes'] / 2**20:.0f} MiB file",
                )
            )
        r = measure.export_in_subprocess("reviews", big.slug, "csv")
        small_r = measure.export_in_subprocess("reviews", small.slug, "csv")
        rows.append(
            report.row(
                f"reviews export CSV, {3 * n:,} reviews (s)",
                r["seconds"],
                "<= 15 s, constant queries",
                r["seconds"] <= 15 and r["queries"] == small_r["queries"],
                f"{r['queries']} queries ({small_r['queries']} for 30 reviews), memory growth {r['mib']:.1f} MiB",
            )
        )
    if "reminders" in wanted:
        r = measure.reminder_sweep(big)
        rows.append(
            report.row(
                f"reminder sweep over {n:,} drafts (e-mails/s)",
                r["per_second"],
                "bounded queries per batch",
                r["queued"] == r["sent"],
                f"{r['sent']:,} reminders in {r['seconds']:.0f} s, {r['queries_per_batch']:.1f} queries "
                f"per batch of {r['batch_size']}",
            )
        )
    if "web" in wanted:
        # For information: no target. The portal's pages are built from the database on every request.
        r = web.throughput(env, args.port)
        cpu = r["cpu_ms"]
        for name, key in (
            ("minimal view (the floor: same middleware and server)", "minimal"),
            ("minimal view with a signed-in founder's cookies", "minimal_session"),
            ("landing page, anonymous", "landing"),
            ("call page, anonymous", "call"),
            ("application page, its owner", "application"),
            ("application page, a co-founder", "co_founder"),
        ):
            rows.append(
                report.row(
                    f"{name} (req/s)",
                    r[f"{key}_rps"],
                    "(for information)",
                    None,
                    f"gunicorn CPU {cpu[key]:.2f} ms/request",
                )
            )
    if "submit" in wanted:
        r = web.submission_burst(env, args.port)
        exact = r["submitted"] == r["status_changes"] == r["confirmation_mails"] == r["requests"]
        rows.append(
            report.row(
                "submissions 20/s for 60 s: p95 (ms)",
                r["p95_ms"],
                "<= 500, no error, each once",
                r["p95_ms"] <= 500 and r["errors"] == 0 and exact,
                f"{r['requests']} sent at {r['achieved_rate']:.1f}/s, {r['errors']} errors, "
                f"{r['submitted']} submitted, {r['status_changes']} transitions, "
                f"{r['confirmation_mails']} e-mails",
            ),
        )
    print(report.table(rows, machine()))


if __name__ == "__main__":
    main()
