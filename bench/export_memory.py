"""Benchmark: time and memory of cohort exports (CSV, JSON, XLSX) for each scope.

Not a test: it prints one table, each row with the target of issue 7 where there is one (streamed
CSV of 100,000 rows in at most 10 s with at most 50 MiB of memory growth; XLSX in at most 60 s
and 100 MiB). Each export runs in a fresh process, as a web or Celery worker would: "peak growth"
is the process's peak resident memory during the export minus its memory just before (Django
loaded, a small export already done), so it counts what the allocator really kept, not only
Python objects. Streams are consumed chunk by chunk as a WSGI server would; XLSX goes to a file.
"cpu s" is this process's CPU time, "db cpu s" the PostgreSQL backend's (when the server runs on
this machine): on a busy machine, their sum says what the export costs better than the wall time.

    # a call built by bench/build_export_data.py (or seed_load), on the database of DATABASE_URL:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/acc_perf .venv/bin/python bench/export_memory.py --call bench-100k
    # or build calls of these sizes first (SQLite in a temporary folder without DATABASE_URL):
    .venv/bin/python bench/export_memory.py --sizes 1000 10000
    .venv/bin/python bench/export_memory.py --call bench-100k --scopes submitted --formats csv xlsx --trace
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings")
os.environ.setdefault("DEBUG", "true")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='export-bench-')}/bench.sqlite3"
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

TARGETS = {"csv": (10, 50), "xlsx": (60, 100)}  # seconds, MiB of memory growth (issue 7)
MIB = 2**20


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _reset_peak_rss() -> None:
    """Linux: writing 5 to clear_refs resets the process's peak resident memory (VmHWM)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def _peak_rss() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _database_cpu():
    """CPU seconds of this connection's PostgreSQL backend so far, when the server runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _export(call, scope: str, fmt: str, sink) -> tuple[float | None, int]:
    """Run one export into sink (a binary file); (seconds to the first byte or None, rows or None)."""
    from cohorts.exports import services

    started = time.perf_counter()
    if fmt == "xlsx":
        return None, services.write_xlsx_file(sink, call, scope, by=None)
    first = None
    for chunk in services.stream(call, scope, fmt, by=None).streaming_content:
        if first is None:
            first = time.perf_counter() - started
        sink.write(chunk)
    return first, None


def measure(slug: str, scope: str, fmt: str, trace: bool) -> dict:
    """One export in this process; its numbers as a dict."""
    import tracemalloc

    from django.conf import settings

    from calls.models import Call
    from cohorts.exports import rows

    settings.DEBUG = False  # no query log kept in memory
    call = Call.objects.get(slug=slug)
    count = rows.count(call, scope, by=None)
    with tempfile.TemporaryFile() as warm:  # imports, translations, the connection: not the export's cost
        _export(call, scope if count <= 100 else "cohort", fmt, warm)
    queries = []
    _reset_peak_rss()
    before, cpu, db_cpu = _rss(), time.process_time(), _database_cpu()
    if trace:
        tracemalloc.start()
    counting = connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args))
    with counting, tempfile.TemporaryFile() as sink:
        started = time.perf_counter()
        first, written = _export(call, scope, fmt, sink)
        seconds = time.perf_counter() - started
        size = sink.tell()
    traced = tracemalloc.get_traced_memory()[1] if trace else None
    db_after = _database_cpu()
    return {
        "scope": scope,
        "format": fmt,
        "rows": written if written is not None else count,
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "db_cpu": None if db_cpu is None or db_after is None else db_after - db_cpu,
        "first_ms": None if first is None else first * 1000,
        "growth_mib": max(0, _peak_rss() - before) / MIB,
        "traced_mib": None if traced is None else traced / MIB,
        "queries": len(queries),
        "output_mib": size / MIB,
    }


def run_child(slug: str, scope: str, fmt: str, trace: bool) -> dict:
    command = [sys.executable, __file__, "--measure", slug, scope, fmt] + (["--trace"] if trace else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{scope} {fmt} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def verdict(result: dict) -> str:
    target = TARGETS.get(result["format"])
    if target is None or result["scope"] != "submitted":
        return ""
    seconds, mib = target
    ok = result["seconds"] <= seconds and result["growth_mib"] <= mib
    return f"<= {seconds} s, <= {mib} MiB: {'met' if ok else 'MISSED'}"


def print_table(results: list[dict], trace: bool) -> None:
    head = ["scope", "format", "rows", "seconds", "cpu s", "db cpu s", "1st byte ms", "peak growth MiB"]
    head += ["traced MiB"] if trace else []
    head += ["queries", "output MiB", "target (issue 7)"]
    lines = [head]
    for r in results:
        line = [r["scope"], r["format"], str(r["rows"]), f"{r['seconds']:.2f}", f"{r['cpu']:.2f}"]
        line += ["" if r["db_cpu"] is None else f"{r['db_cpu']:.2f}"]
        line += ["" if r["first_ms"] is None else f"{r['first_ms']:.0f}", f"{r['growth_mib']:.1f}"]
        line += [f"{r['traced_mib']:.1f}"] if trace else []
        line += [str(r["queries"]), f"{r['output_mib']:.1f}", verdict(r)]
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--call", help="slug of an existing call to export")
    parser.add_argument("--sizes", type=int, nargs="+", help="build calls of these sizes first (build_export_data)")
    parser.add_argument("--scopes", nargs="+", default=["submitted", "shortlist", "cohort"])
    parser.add_argument("--formats", nargs="+", default=["csv", "json", "xlsx"])
    parser.add_argument("--trace", action="store_true", help="also trace Python allocations (slows Python down)")
    parser.add_argument("--measure", nargs=3, metavar=("CALL", "SCOPE", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure, trace=args.trace)))
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    slugs = [args.call] if args.call else []
    if args.sizes:
        from bench.build_export_data import build

        for size in args.sizes:
            slug = f"export-bench-{size}-{int(time.time())}"
            build(size, slug, progress=lambda line: print(line, file=sys.stderr))
            slugs.append(slug)
    if not slugs:
        parser.error("give --call SLUG or --sizes N ...")
    with connection.cursor() as cursor:
        version = connection.vendor
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
    print(f"database: {version}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the start")
    for slug in slugs:
        print(f"\ncall {slug}")
        results = [run_child(slug, s, f, args.trace) for s in args.scopes for f in args.formats]
        print_table(results, args.trace)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end (other processes on the machine slow every number)")


if __name__ == "__main__":
    main()
