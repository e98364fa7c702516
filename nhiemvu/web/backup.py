"""Backups: the database and the uploaded files, taken while the system runs.

SQLite: the online backup API copies a consistent snapshot page by page while others keep
reading and writing; the copy is checked (``PRAGMA integrity_check``) before it is called a
backup. Uploaded files (attachments, generated reports) go beside it as ``…-files.tar.gz``.
PostgreSQL: ``pg_dump --format=custom`` / ``pg_restore --clean`` (README, "Backups"), the dump
taken from a snapshot exported by a REPEATABLE READ transaction in which the manifest's row
counts and checksums are read too, so they describe exactly what the dump holds.

Beside each backup, ``…-manifest.json``: every table's rows and checksum, every file's SHA-256
(web/drill.py restores a backup into a scratch database and compares them: ``backup --drill``).
With NHIEMVU_BACKUP_KEY set, the dump and the files archive are sealed (lib/sealed.py,
AES-256-GCM, ``.enc``) as they are written; the manifest stays readable for an auditor (counts
and hashes only). NHIEMVU_BACKUP_KEEP prunes the backup folder to the newest backups.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from nhiemvu.assignments import totals
from nhiemvu.lib import sealed

# How much of a failing tool's own words a backup error quotes (the rest is in its log).
ERROR_EXCERPT_CHARS = 500
PIPE_CHUNK = 1024 * 1024


class BackupError(RuntimeError):
    pass


def folder() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def key() -> bytes | None:
    """The sealing key (NHIEMVU_BACKUP_KEY), or None: backups are then written in the clear."""
    text = settings.BACKUP_KEY
    if not text:
        return None
    try:
        return sealed.parse_key(text)
    except sealed.SealError as exc:
        raise BackupError(
            _(
                "NHIEMVU_BACKUP_KEY is not a valid key (32 bytes in URL-safe base64): "
                "make one with `manage.py backup --new-key`."
            )
        ) from exc


def base_of(path: Path) -> Path:
    """``…/nhiemvu-<time>`` for any file of a backup (the database, its files, its manifest)."""
    name = path.name.removesuffix(sealed.SUFFIX)
    for suffix in ("-files.tar.gz", "-manifest.json", ".dump", ".sqlite3"):
        name = name.removesuffix(suffix)
    return path.with_name(name)


def _files_archive(database: Path) -> Path:
    sealed_suffix = sealed.SUFFIX if database.name.endswith(sealed.SUFFIX) else ""
    return base_of(database).with_name(base_of(database).name + "-files.tar.gz" + sealed_suffix)


def manifest_of(database: Path) -> Path:
    return base_of(database).with_name(base_of(database).name + "-manifest.json")


def _libpq_env(dbname: str | None = None) -> dict[str, str]:
    """The connection's own settings (under tests, the test database, not DATABASE_URL's) as
    libpq variables: the password never appears on a command line, where every user of the
    machine could read it in the process list."""
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGHOST": db.get("HOST") or "localhost",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": dbname or db["NAME"],
    }
    env.update({k: v for k, v in values.items() if v})
    return env


@contextlib.contextmanager
def _output(target: Path, seal: bytes | None) -> Iterator[IO[bytes]]:
    """A file to write a backup part to: sealed when there is a key. Written under a temporary
    name and renamed when complete, so a part cut short never looks like a backup."""
    partial = target.with_name(target.name + ".partial")
    try:
        with open(partial, "wb") as raw:
            if seal is None:
                yield raw
            else:
                with sealed.SealedWriter(raw, seal) as writer:
                    yield writer  # type: ignore[misc]
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def backup(output: Path | None = None) -> list[Path]:
    """Write a backup; returns the files written (the manifest last)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    seal = key()
    end = sealed.SUFFIX if seal else ""
    if connection.vendor == "postgresql":
        target = output or folder() / f"nhiemvu-{stamp}.dump{end}"
        target.parent.mkdir(parents=True, exist_ok=True)
        tables = _pg_dump(target, seal)
    elif connection.vendor == "sqlite":
        target = output or folder() / f"nhiemvu-{stamp}.sqlite3{end}"
        target.parent.mkdir(parents=True, exist_ok=True)
        tables = _sqlite_copy(target, seal)
    else:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
    written = [target]
    files: dict[str, str] = {}
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        archive = _files_archive(target)
        with _output(archive, seal) as out, tarfile.open(fileobj=out, mode="w|gz") as tar:
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                name = "media/" + path.relative_to(media).as_posix()
                files[name] = _sha256(path)
                tar.add(path, arcname=name, recursive=False)
        written.append(archive)
    manifest = manifest_of(target)
    manifest.write_text(
        json.dumps(
            {
                "taken_at": stamp,
                "vendor": connection.vendor,
                "sealed": seal is not None,
                "tables": tables,
                "files": files,
            },
            indent=1,
            sort_keys=True,
        )
    )
    written.append(manifest)
    if output is None:
        prune(settings.BACKUP_KEEP)
    return written


def _pg_dump(target: Path, seal: bytes | None) -> dict[str, list[Any]]:
    """pg_dump from the snapshot in which the manifest's counts and checksums are read."""
    from nhiemvu.web.drill import pg_digests

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = pg_digests(cursor)
        command = ["pg_dump", "--format=custom", f"--snapshot={snapshot}"]
        with _output(target, seal) as out:
            _pipe_out(command, out)
    return tables


def _sqlite_copy(target: Path, seal: bytes | None) -> dict[str, list[Any]]:
    from nhiemvu.web.drill import sqlite_digests

    connection.ensure_connection()
    source: Any = connection.connection
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        plain = target if seal is None else Path(scratch) / "copy.sqlite3"
        with sqlite3.connect(plain) as copy:
            source.backup(copy, pages=1024)
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"Bản sao {target} không toàn vẹn.")
            tables = sqlite_digests(copy)
        copy.close()
        if seal is not None:
            with open(plain, "rb") as src, _output(target, seal) as out:
                shutil.copyfileobj(src, out, PIPE_CHUNK)
    return tables


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(PIPE_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def plain_copy(source: Path) -> Iterator[Path]:
    """The backup file itself, or (sealed) its plain copy in a private temporary folder."""
    if not source.name.endswith(sealed.SUFFIX):
        yield source
        return
    seal = key()
    if seal is None:
        raise BackupError(_("This backup is encrypted: set NHIEMVU_BACKUP_KEY to its key."))
    with tempfile.TemporaryDirectory(dir=source.parent) as scratch:
        plain = Path(scratch) / source.name.removesuffix(sealed.SUFFIX)
        os.chmod(scratch, 0o700)
        try:
            with open(source, "rb") as raw, open(plain, "wb") as out:
                for chunk in sealed.opened(raw, seal):
                    out.write(chunk)
        except sealed.SealError as exc:
            raise BackupError(
                _(
                    "%(file)s cannot be decrypted: another key, or the file was altered "
                    "or cut short."
                )
                % {"file": source.name}
            ) from exc
        yield plain


def prune(keep: int) -> list[Path]:
    """Keep the newest ``keep`` backups in the backup folder (0: keep all); returns what went.
    Only the files this module names ``nhiemvu-<time>…`` are ever touched."""
    if keep <= 0 or not folder().is_dir():
        return []
    pattern = re.compile(
        r"^nhiemvu-(\d{8}-\d{6})(\.dump|\.sqlite3|-files\.tar\.gz|-manifest\.json)"
    )
    stamps: dict[str, list[Path]] = {}
    for path in folder().iterdir():
        match = pattern.match(path.name)
        if match and not path.name.endswith(".partial"):
            stamps.setdefault(match.group(1), []).append(path)
    removed: list[Path] = []
    for stamp in sorted(stamps, reverse=True)[keep:]:
        for path in stamps[stamp]:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def restore(source: Path) -> None:
    """Put a backup back: the database, then the uploaded files if archived beside it."""
    if not source.is_file():
        raise BackupError(f"Không có tệp {source}.")
    with plain_copy(source) as plain:
        _restore_database(plain)
    # Rows written outside Django: no process's kept list totals hold for them (totals.py).
    totals.reset()
    archive = _files_archive(source)
    if archive.is_file():
        media = Path(settings.MEDIA_ROOT)
        media.mkdir(parents=True, exist_ok=True)
        with plain_copy(archive) as plain, tarfile.open(plain, "r:gz") as tar:
            members = [m for m in tar.getmembers() if m.name.startswith("media/")]
            for member in members:
                member.name = member.name.removeprefix("media/")
            # The "data" filter refuses absolute paths, "..", links outside and devices.
            tar.extractall(media, members=[m for m in members if m.name], filter="data")


def _restore_database(source: Path) -> None:
    if connection.vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                f"--dbname={connection.settings_dict['NAME']}",
                str(source),
            ]
        )
    elif connection.vendor == "sqlite":
        try:
            with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db:
                if backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise BackupError(f"Tệp {source} không toàn vẹn.")
                tables = {
                    r[0]
                    for r in backup_db.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
                if not {"django_migrations", "assignments_assignment"} <= tables:
                    raise BackupError(f"Tệp {source} không phải bản sao lưu của hệ thống.")
                connection.ensure_connection()
                # Page by page into the live database, which other connections see switch
                # from the old content to the restored one at once.
                backup_db.backup(connection.connection)
            backup_db.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"Tệp {source} không đọc được: {exc}") from exc
    else:
        raise BackupError(f"Chưa hỗ trợ phục hồi cơ sở dữ liệu {connection.vendor}.")


def _pipe_out(command: list[str], out: IO[bytes]) -> None:
    """Run a tool whose standard output is the backup, streamed into ``out``."""
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_libpq_env()
        )
    except FileNotFoundError as exc:
        raise BackupError(_missing(command[0])) from exc
    assert process.stdout is not None and process.stderr is not None
    with tempfile.TemporaryFile() as errors:
        # stderr to a file, read at the end: a tool that writes much to both cannot block.
        import threading

        drain = threading.Thread(target=shutil.copyfileobj, args=(process.stderr, errors))
        drain.start()
        while chunk := process.stdout.read(PIPE_CHUNK):
            out.write(chunk)
        drain.join()
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    if process.wait() != 0:
        raise BackupError(f"{command[0]} báo lỗi: {stderr.strip()[:ERROR_EXCERPT_CHARS]}")


def _missing(tool: str) -> str:
    return f"Không tìm thấy {tool}: cài gói postgresql-client (apt-get install postgresql-client)."


def _run(command: list[str], dbname: str | None = None) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, env=_libpq_env(dbname))
    except FileNotFoundError as exc:
        raise BackupError(_missing(command[0])) from exc
    except subprocess.CalledProcessError as exc:
        words = exc.stderr.strip()[:ERROR_EXCERPT_CHARS]
        raise BackupError(f"{command[0]} báo lỗi: {words}") from exc
