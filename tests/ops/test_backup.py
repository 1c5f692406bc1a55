"""Backups that have been restored: the demo, backed up, restored into a fresh database and storage."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from ops.backup import BackupError, backup, private_file_columns, read_manifest, restore
from ops.storage import PrivateFileSystemStorage, PrivateS3Storage, PrivateStorage
from tests.storage_helpers import new_bucket, s3_environment

ROOT = Path(__file__).resolve().parents[2]
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")


def pg(dbname):
    db = django_settings.DATABASES["default"]
    return psycopg.connect(
        dbname=dbname, user=db["USER"] or None, password=db["PASSWORD"] or None, host=db["HOST"] or None,
        port=str(db["PORT"]) if db["PORT"] else None, autocommit=True,
    )  # fmt: skip


def table_digests(dbname) -> dict:
    """{table: (rows, md5 of every row in order)} for every table of the database."""
    with pg(dbname) as conn:
        tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        digests = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"
            )
            digests[table] = conn.execute(query.format(sql.Identifier(table))).fetchone()
    return digests


def file_names(dbname) -> list[str]:
    with pg(dbname) as conn:
        return sorted(
            row[0]
            for table, column in private_file_columns()
            for row in conn.execute(
                sql.SQL("SELECT {c} FROM {t} WHERE {c} <> ''").format(c=sql.Identifier(column), t=sql.Identifier(table))
            )
        )


def sha256(storage, name) -> str:
    with storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


@on_postgres
@pytest.mark.postgres
@pytest.mark.usefixtures("deck_storage")
@pytest.mark.django_db(transaction=True)
def test_the_demo_backed_up_and_restored_into_a_fresh_database_is_the_same(tmp_path, settings, request):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    source_db = connection.settings_dict["NAME"]
    decks = file_names(source_db)
    assert len(decks) >= 5  # the demo's pitch decks
    original = {name: sha256(PrivateStorage(), name) for name in decks}

    report = backup(tmp_path / "backup")
    assert (report.files, report.missing) == (len(decks), [])
    assert {entry["name"]: entry["sha256"] for entry in read_manifest(tmp_path / "backup")["files"]} == original
    with pytest.raises(BackupError, match="has tables"):
        restore(tmp_path / "backup")  # never over a live database

    # A fresh database and an empty storage, restored by the command an operator runs.
    fresh = f"{source_db}_restored"
    with pg("postgres") as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(fresh)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
    request.addfinalizer(lambda: pg("postgres").execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(fresh))))
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{fresh}",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "restored-files"),
    }
    if settings.STORAGES["private"]["BACKEND"].endswith("PrivateS3Storage"):
        endpoint = settings.STORAGES["private"]["OPTIONS"]["endpoint_url"]
        bucket = new_bucket(endpoint)
        env.update(s3_environment(endpoint, bucket))
        restored_storage = PrivateS3Storage(**{**settings.STORAGES["private"]["OPTIONS"], "bucket_name": bucket})
    else:
        restored_storage = PrivateFileSystemStorage(location=tmp_path / "restored-files")
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "backup")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"{len(decks)} file(s)" in result.stdout

    assert table_digests(fresh) == table_digests(source_db)
    assert file_names(fresh) == decks
    assert {name: sha256(restored_storage, name) for name in decks} == original


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    backup(tmp_path / "backup")
    [deck] = list((tmp_path / "backup" / "files" / "decks").rglob("*.pdf"))[:1]
    deck.write_bytes(deck.read_bytes() + b"\n")
    with pytest.raises(BackupError, match="Checksums do not match for: files/decks/"):
        read_manifest(tmp_path / "backup")
    with pytest.raises(BackupError, match="not empty"):
        backup(tmp_path / "backup")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite refusal")
@pytest.mark.django_db
def test_on_sqlite_backup_says_what_to_do_instead(tmp_path):
    with pytest.raises(BackupError, match="Backups need PostgreSQL"):
        backup(tmp_path / "backup")
