"""Serve the portal with gunicorn and measure it with wrk, both on this machine's loopback."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    path = shutil.which("wrk")
    if not path:
        sys.exit("wrk is needed for the HTTP benchmarks: apt-get install wrk")
    return path


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every live process in a process group (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # after the name: state, ppid, pgrp, ..., utime (12), stime (13)
            total += int(fields[11]) + int(fields[12])
    return total / tick


@contextmanager
def gunicorn(env: dict, port: int, workers: int = 4):
    """gunicorn with the bench settings (portal + one minimal view) on 127.0.0.1:port."""
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "accelerator.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/minimal", timeout=1).read()
                break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not start")
        yield Server(f"http://127.0.0.1:{port}", proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


class Server(str):
    """The base URL, with the process group whose CPU wrk() measures."""

    def __new__(cls, url, pgid):
        server = super().__new__(cls, url)
        server.pgid = pgid
        return server


def wrk(
    url: str, seconds: int = 10, connections: int = 8, threads: int = 1, headers: dict | None = None, cpu_of=None
) -> dict:
    """Requests per second, p99 latency (ms), non-2xx count for one URL; with cpu_of (a Server), also the
    CPU its gunicorn processes spent per request (ms), which the load of others changes much less."""
    command = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    pgid = getattr(cpu_of, "pgid", None)
    cpu_before = group_cpu_seconds(pgid) if pgid else None
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    cpu = group_cpu_seconds(pgid) - cpu_before if pgid else None
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    p = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99 = float(p.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p.group(2)] if p else None
    server_cpu_ms = 1000 * cpu / requests if cpu is not None and requests else None
    non_2xx = int(bad.group(1)) if bad else 0
    return {"rps": rps, "non_2xx": non_2xx, "p99_ms": p99, "server_cpu_ms": server_cpu_ms, "raw": out}
