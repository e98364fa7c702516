"""Backups: the database and the uploaded files, taken while the system runs.

SQLite: the online backup API copies a consistent snapshot page by page while others keep
reading and writing; the copy is checked (``PRAGMA integrity_check``) before it is called a
backup. Uploaded files (attachments, generated reports) go beside it as ``…-files.tar.gz``.
PostgreSQL: ``pg_dump --format=custom`` / ``pg_restore --clean`` (README, "Backups").
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection


class BackupError(RuntimeError):
    pass


def _files_archive(database: Path) -> Path:
    return database.with_name(database.stem + "-files.tar.gz")


def _libpq_env() -> dict[str, str]:
    """The connection's own settings (under tests, the test database, not DATABASE_URL's) as
    libpq variables: the password never appears on a command line, where every user of the
    machine could read it in the process list."""
    import os

    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGHOST": db.get("HOST") or "localhost",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": db["NAME"],
    }
    env.update({k: v for k, v in values.items() if v})
    return env


def backup(output: Path | None = None) -> list[Path]:
    """Write a backup; returns the files written."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    folder = settings.VAR_DIR / "backups"
    if connection.vendor == "postgresql":
        target = output or folder / f"nhiemvu-{stamp}.dump"
        target.parent.mkdir(parents=True, exist_ok=True)
        _run(["pg_dump", "--format=custom", f"--file={target}"])
        written = [target]
    elif connection.vendor == "sqlite":
        target = output or folder / f"nhiemvu-{stamp}.sqlite3"
        target.parent.mkdir(parents=True, exist_ok=True)
        connection.ensure_connection()
        source: Any = connection.connection
        with sqlite3.connect(target) as copy:
            source.backup(copy, pages=1024)
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"Bản sao {target} không toàn vẹn.")
        copy.close()
        written = [target]
    else:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        archive = _files_archive(written[0])
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(media, arcname="media")
        written.append(archive)
    return written


def restore(source: Path) -> None:
    """Put a backup back: the database, then the uploaded files if archived beside it."""
    if not source.is_file():
        raise BackupError(f"Không có tệp {source}.")
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
    archive = _files_archive(source)
    if archive.is_file():
        media = Path(settings.MEDIA_ROOT)
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "r:gz") as tar:
            members = [m for m in tar.getmembers() if m.name.startswith("media/")]
            for member in members:
                member.name = member.name.removeprefix("media/")
            # The "data" filter refuses absolute paths, "..", links outside and devices.
            tar.extractall(media, members=[m for m in members if m.name], filter="data")


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, env=_libpq_env())
    except FileNotFoundError as exc:
        raise BackupError(
            f"Không tìm thấy {command[0]}: cài gói postgresql-client (apt-get install "
            "postgresql-client)."
        ) from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} báo lỗi: {exc.stderr.strip()[:500]}") from exc
