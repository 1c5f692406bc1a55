"""Backups: one consistent snapshot of the database and of the private files, with a manifest.

`backup` opens a read-only REPEATABLE READ transaction, exports its snapshot and, inside it, reads
the names of the files the database refers to; `pg_dump --snapshot` dumps exactly that state, in
one transaction, while it stays open. The files are then copied from whichever storage holds them
(the folder or the bucket) and a manifest records the SHA-256 and size of everything. A file
deleted between the snapshot and its copy (its deck was replaced meanwhile) is listed as missing.

`restore` checks every checksum first, refuses a database that has tables or a storage that has
files, then runs `pg_restore` in one transaction and uploads the files under their own names.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.apps import apps
from django.core.files import File
from django.db import connections
from django.db.models import FileField
from django.utils import timezone
from psycopg import sql

from ops.storage import CHUNK, PrivateStorage, walk

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"


class BackupError(Exception):
    """Said to the operator as is: what is wrong and what was left untouched."""


@dataclass
class Report:
    seconds: float = 0.0
    files: int = 0
    bytes: int = 0
    missing: list = field(default_factory=list)
    tables: int = 0


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _postgres(using: str) -> dict:
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise BackupError(
            "Backups need PostgreSQL (DATABASE_URL=postgres://…). The embedded SQLite file is "
            ".data/db.sqlite3: copy it with the .data folder while the portal is stopped."
        )
    return connection.settings_dict


def _libpq(settings_dict: dict) -> tuple[dict, dict]:
    """Connection keywords for psycopg, and the environment for pg_dump/pg_restore (no password on
    their command line)."""
    keywords = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
    }
    keywords = {k: v for k, v in keywords.items() if v}
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT"}
    env = {**os.environ, **{names[k]: v for k, v in keywords.items()}}
    return keywords, env


def _run(command: list[str], env: dict) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} was not found: install PostgreSQL's client programs (postgresql-client).")
    result = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def private_file_columns() -> list[tuple[str, str]]:
    """(table, column) of every file field kept in the private storage."""
    return sorted(
        {
            (model._meta.db_table, field.column)
            for model in apps.get_models()  # proxy models repeat their parent's table
            for field in model._meta.concrete_fields
            if isinstance(field, FileField) and isinstance(field.storage, PrivateStorage)
        }
    )


def _inside(root: Path, name: str) -> Path:
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise BackupError(f"Refusing a file name outside the backup: {name!r}.")
    return path


def backup(output: Path, *, using: str = "default") -> Report:
    started = time.monotonic()
    keywords, env = _libpq(_postgres(using))
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} is not empty: give a new folder for each backup.")
    (output / FILES).mkdir(parents=True, exist_ok=True)

    with psycopg.connect(**keywords) as pg:
        pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        pg.read_only = True
        with pg.transaction():
            snapshot = pg.execute("SELECT pg_export_snapshot()").fetchone()[0]
            names = set()
            for table, column in private_file_columns():
                query = sql.SQL("SELECT {c} FROM {t} WHERE {c} <> ''").format(
                    c=sql.Identifier(column), t=sql.Identifier(table)
                )
                names.update(row[0] for row in pg.execute(query))
            server_version = pg.info.server_version
            # The dump sees this transaction's snapshot, which stays open until pg_dump is done.
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={output / DUMP}"], env)

    report = Report()
    storage = PrivateStorage()
    files = []
    for name in sorted(names):
        target = _inside(output / FILES, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        try:
            with storage.open(name, "rb") as source, open(target, "wb") as copy:
                for chunk in iter(lambda source=source: source.read(CHUNK), b""):
                    digest.update(chunk)
                    size += len(chunk)
                    copy.write(chunk)
        except FileNotFoundError:
            target.unlink(missing_ok=True)
            report.missing.append(name)
            continue
        files.append({"name": name, "sha256": digest.hexdigest(), "size": size})
        report.files += 1
        report.bytes += size

    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().astimezone(dt.UTC).isoformat(),
        "database": {
            "file": DUMP,
            "sha256": _sha256_file(output / DUMP),
            "size": (output / DUMP).stat().st_size,
            "postgresql_server_version": server_version,
            "snapshot": snapshot,
        },
        "storage": PrivateStorage().backend.__class__.__name__,
        "files": files,
        "missing_files": report.missing,
    }
    # Written last, through a rename: a folder with a manifest is a complete backup.
    partial = output / f"{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=2) + "\n")
    partial.rename(output / MANIFEST)
    report.seconds = time.monotonic() - started
    return report


def read_manifest(source: Path) -> dict:
    """The manifest, after checking the SHA-256 of the dump and of every file against it."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} has no {MANIFEST}: not a backup, or an unfinished one.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: backup format {manifest.get('format')!r}, this portal reads {FORMAT}.")
    wrong = []
    if _sha256_file(source / manifest["database"]["file"]) != manifest["database"]["sha256"]:
        wrong.append(manifest["database"]["file"])
    for entry in manifest["files"]:
        path = _inside(source / FILES, entry["name"])
        if not path.exists() or _sha256_file(path) != entry["sha256"]:
            wrong.append(f"{FILES}/{entry['name']}")
    if wrong:
        raise BackupError(f"Checksums do not match for: {', '.join(wrong)}. Nothing was restored.")
    return manifest


def restore(source: Path, *, using: str = "default") -> Report:
    started = time.monotonic()
    source = Path(source)
    keywords, env = _libpq(_postgres(using))
    manifest = read_manifest(source)

    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        if cursor.fetchone()[0]:
            raise BackupError(f"Database {keywords['dbname']} has tables: restore only into an empty database.")
    storage = PrivateStorage()
    if next(walk(storage), None) is not None:
        raise BackupError("The file storage is not empty: restore only into an empty folder or bucket.")
    connections[using].close()

    _run(
        ["pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
         f"--dbname={keywords['dbname']}", str(source / manifest["database"]["file"])],
        env,
    )  # fmt: skip
    report = Report(missing=list(manifest.get("missing_files", [])))
    for entry in manifest["files"]:
        with open(_inside(source / FILES, entry["name"]), "rb") as handle:
            saved = storage.save(entry["name"], File(handle, name=entry["name"]))
        if saved != entry["name"]:
            raise BackupError(f"The storage stored {entry['name']!r} as {saved!r}.")
        report.files += 1
        report.bytes += entry["size"]
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        report.tables = cursor.fetchone()[0]
    report.seconds = time.monotonic() - started
    return report
