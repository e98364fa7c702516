"""The restore drill (issue 31 item 5): `manage.py backup --drill [FILE]` restores a backup into
a scratch database, reads every table's row count and checksum there, and every file's SHA-256
from the archive, and compares them with the manifest written when the backup was taken (the
same numbers, read from the same snapshot as the dump). The scratch database is dropped after.

A table's checksum is the sum of the first 60 bits of each row's MD5 (its text form, in one
fixed session format): independent of the rows' order, and on PostgreSQL one aggregate with
no memory growing with the table. SQLite computes the same sum in Python.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import tarfile
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from nhiemvu.web import backup as backups
from nhiemvu.web.backup import BackupError

# One text form for every value, whatever the server's or the role's defaults (set locally in
# the reading transaction: the live connection's session is left as it was).
_PG_FORMAT = [
    "SET LOCAL TIME ZONE 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    "SET LOCAL extra_float_digits = 1",
    "SET LOCAL bytea_output = 'hex'",
]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pg_digests(cursor: Any) -> dict[str, list[Any]]:
    """{table: [rows, checksum]} of every table of the public schema, inside a transaction."""
    for statement in _PG_FORMAT:
        cursor.execute(statement)
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    digests: dict[str, list[Any]] = {}
    for table in tables:
        cursor.execute(
            "SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)"
            f"::bigint), 0)::text FROM {_quote(table)} t"
        )
        count, checksum = cursor.fetchone()
        digests[table] = [int(count), str(checksum)]
    return digests


def sqlite_digests(db: sqlite3.Connection) -> dict[str, list[Any]]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    digests: dict[str, list[Any]] = {}
    for table in tables:
        count = total = 0
        for row in db.execute(f"SELECT * FROM {_quote(table)}"):
            count += 1
            total += int(
                hashlib.md5(repr(row).encode(), usedforsecurity=False).hexdigest()[:15], 16
            )
        digests[table] = [count, str(total)]
    return digests


def newest() -> Path:
    candidates = sorted(
        p
        for p in backups.folder().glob("nhiemvu-*")
        if p.name.removesuffix(".enc").endswith((".dump", ".sqlite3"))
    )
    if not candidates:
        raise BackupError(
            _("There is no backup to drill in %(folder)s.") % {"folder": backups.folder()}
        )
    return candidates[-1]


def drill(source: Path | None = None) -> dict[str, int]:
    """Restore ``source`` (the newest backup by default) into a scratch database and compare it
    with its manifest; returns what was compared. BackupError names every difference."""
    source = source or newest()
    manifest_path = backups.manifest_of(source)
    if not source.is_file():
        raise BackupError(f"Không có tệp {source}.")
    if not manifest_path.is_file():
        raise BackupError(
            _("%(file)s has no manifest (taken before manifests were written): nothing to compare.")
            % {"file": source.name}
        )
    manifest = json.loads(manifest_path.read_text())
    with backups.plain_copy(source) as plain:
        if manifest["vendor"] == "postgresql":
            restored = _restore_scratch_pg(plain)
        else:
            with sqlite3.connect(f"file:{plain}?mode=ro", uri=True) as db:
                restored = sqlite_digests(db)
            db.close()
    problems = [
        _("table %(table)s: %(found)s in the restored copy, %(expected)s in the manifest")
        % {"table": table, "found": restored.get(table), "expected": expected}
        for table, expected in manifest["tables"].items()
        if restored.get(table) != expected
    ]
    problems += [
        _("table %(table)s is not in the manifest") % {"table": table}
        for table in restored
        if table not in manifest["tables"]
    ]
    files = _archive_hashes(backups._files_archive(source)) if manifest["files"] else {}
    problems += [
        _("file %(name)s differs or is missing") % {"name": name}
        for name, digest in manifest["files"].items()
        if files.get(name) != digest
    ]
    if problems:
        raise BackupError(
            _("The restore drill failed: %(problems)s.") % {"problems": "; ".join(problems[:20])}
        )
    return {
        "tables": len(manifest["tables"]),
        "rows": sum(count for count, _sum in manifest["tables"].values()),
        "files": len(manifest["files"]),
    }


def _restore_scratch_pg(plain: Path) -> dict[str, list[Any]]:
    import psycopg

    live = connection.settings_dict["NAME"]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
    scratch = f"{live}_drill_{stamp}"[:63]
    backups._run(["createdb", scratch])
    try:
        backups._run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={scratch}", str(plain)]
        )
        db = connection.settings_dict
        with (
            psycopg.connect(
                host=db.get("HOST") or "localhost",
                port=db.get("PORT") or None,
                user=db.get("USER") or None,
                password=db.get("PASSWORD") or None,
                dbname=scratch,
            ) as scratch_db,
            scratch_db.cursor() as cursor,
        ):
            return pg_digests(cursor)
    finally:
        backups._run(["dropdb", "--if-exists", scratch])


def _archive_hashes(archive: Path) -> dict[str, str]:
    if not archive.is_file():
        return {}
    hashes: dict[str, str] = {}
    with backups.plain_copy(archive) as plain, tarfile.open(plain, "r:gz") as tar:
        for member in tar:
            if member.isfile():
                handle = tar.extractfile(member)
                assert handle is not None
                digest = hashlib.sha256()
                while chunk := handle.read(backups.PIPE_CHUNK):
                    digest.update(chunk)
                hashes[member.name] = digest.hexdigest()
    return hashes
