"""The production shape on this machine, private to the surge: PostgreSQL, Redis, gunicorn, Celery.

PostgreSQL and Redis are the surge's own instances (a temporary cluster made with initdb, a
redis-server on its own port), so that restarting them as faults touches nobody else's work.
gunicorn runs with the production configuration (accelerator/gunicorn_conf.py: 4 gthread workers
of 4 threads); Celery as in the README's Production section (a worker, one beat).
"""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        sys.exit(f"{name} not found: install PostgreSQL's server binaries (apt-get install postgresql)")
    return candidates[-1]


class Postgres:
    """A throw-away cluster in `folder`, on 127.0.0.1:port, trust authentication for `postgres`."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.data = folder / "pgdata"
        # PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres account.
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *command, check=True):
        if self.user:
            command = ("runuser", "-u", self.user, "--", *command)
        done = subprocess.run(command, capture_output=True, text=True)
        if check and done.returncode:
            sys.exit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
        return done

    def init(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.user:
            info = pwd.getpwnam(self.user)
            os.chown(self.folder, info.pw_uid, info.pw_gid)
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.folder}'\n"
                "max_connections = 200\nshared_buffers = 128MB\n"
            )

    def start(self):
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "postgres.log"), "-w", "start")

    def stop(self, mode="fast"):
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/surge"

    def create_database(self):
        self._run(
            _pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-qc", "CREATE DATABASE surge"
        )


class Process:
    """A long-running command in its own process group, with its output in a log file."""

    def __init__(self, name: str, command: list[str], env: dict, log: Path):
        self.name, self.command, self.env, self.log = name, command, env, log
        self.proc = None

    def start(self):
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    @property
    def pid(self):
        return self.proc.pid

    def kill(self, sig=signal.SIGKILL):
        """The whole group (a Celery worker's pool processes too)."""
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def stop(self, timeout=20):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.kill(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill(signal.SIGKILL)
            self.proc.wait()


def redis(folder: Path, port: int) -> Process:
    # Append-only file on, as a production Redis keeps its queue across a restart.
    command = [
        shutil.which("redis-server") or "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(folder),
        "--save",
        "",
        "--appendonly",
        "yes",
        "--daemonize",
        "no",
    ]
    if not shutil.which("redis-server"):
        sys.exit("redis-server not found: install Redis (apt-get install redis-server)")
    return Process("redis", command, os.environ.copy(), folder / "redis.log")


def gunicorn(env: dict, port: int, folder: Path) -> Process:
    command = [
        str(BIN / "gunicorn"),
        "accelerator.wsgi",
        "-c",
        "python:accelerator.gunicorn_conf",
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        str(folder / "access.log"),
    ]
    return Process("gunicorn", command, env, folder / "gunicorn.log")


def celery_worker(env: dict, folder: Path) -> Process:
    command = [str(BIN / "celery"), "-A", "accelerator", "worker", "--loglevel=INFO", "--concurrency", "4"]
    return Process("celery worker", command, env, folder / "worker.log")


def celery_beat(env: dict, folder: Path) -> Process:
    command = [
        str(BIN / "celery"),
        "-A",
        "accelerator",
        "beat",
        "--loglevel=INFO",
        "--schedule",
        str(folder / "celerybeat-schedule"),
    ]
    return Process("celery beat", command, env, folder / "beat.log")


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def children(pid: int) -> list[int]:
    """Direct children of pid (gunicorn's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found
