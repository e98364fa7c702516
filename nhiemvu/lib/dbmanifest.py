"""What a SQLite database and its files hold, table by table, to prove an upgrade kept it all
(issue 31 item 2; deploy/upgrade/make_fixture.sh, web/tests/test_upgrade.py).

For each table: its columns, its row count and a SHA-256 over its rows in key order; for each
stored file: its SHA-256. After the current code migrates a copy, `compare` reads the same
columns again (new columns may come; the old ones must keep every value) and says what differs.
Plain sqlite3, no Django: the released code and the current one read a database the same way.

`python -m nhiemvu.lib.dbmanifest DB MEDIA_DIR` prints the manifest as JSON.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

# Tables whose rows a migration may rightly add to or rewrite, or that are SQLite's own.
SKIPPED = (
    "sqlite_",
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group_permissions",
    "django_session",
)


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    return [name for (name,) in rows if not name.startswith(SKIPPED)]


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]


def _digest(db: sqlite3.Connection, table: str, columns: list[str]) -> tuple[int, str]:
    quoted = ", ".join(f'"{c}"' for c in columns)
    order = ", ".join(str(i + 1) for i in range(len(columns)))
    sha = hashlib.sha256()
    count = 0
    for row in db.execute(f'SELECT {quoted} FROM "{table}" ORDER BY {order}'):
        sha.update(repr(row).encode())
        count += 1
    return count, sha.hexdigest()


def files(media: Path) -> dict[str, str]:
    if not media.is_dir():
        return {}
    return {
        str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }


def manifest(database: Path, media: Path) -> dict[str, Any]:
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        tables = {}
        for table in _tables(db):
            columns = _columns(db, table)
            count, digest = _digest(db, table, columns)
            tables[table] = {"columns": columns, "rows": count, "sha256": digest}
    finally:
        db.close()
    return {"tables": tables, "files": files(media)}


def compare(expected: dict[str, Any], database: Path, media: Path) -> list[str]:
    """What the migrated database or files lost or changed, in words; empty when nothing."""
    problems = []
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        present = set(_tables(db))
        for table, was in sorted(expected["tables"].items()):
            if table not in present:
                problems.append(f"{table}: table gone ({was['rows']} rows)")
                continue
            missing = [c for c in was["columns"] if c not in _columns(db, table)]
            if missing:
                problems.append(f"{table}: columns gone: {', '.join(missing)}")
                continue
            count, digest = _digest(db, table, was["columns"])
            if count != was["rows"]:
                problems.append(f"{table}: {was['rows']} rows before, {count} after")
            elif digest != was["sha256"]:
                problems.append(f"{table}: same {count} rows, values changed")
    finally:
        db.close()
    now = files(media)
    for name, digest in sorted(expected["files"].items()):
        if name not in now:
            problems.append(f"file {name}: gone")
        elif now[name] != digest:
            problems.append(f"file {name}: content changed")
    return problems


if __name__ == "__main__":
    json.dump(manifest(Path(sys.argv[1]), Path(sys.argv[2])), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
