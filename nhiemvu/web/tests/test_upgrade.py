"""Upgrading keeps everything (issue 31 item 2): the previous release's database and files
(nhiemvu/web/tests/upgrade/, made by that release's own code: deploy/upgrade/make_fixture.sh)
migrated by the current code keep every task, timeline entry, audit event, file and status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from nhiemvu.lib import dbmanifest

HERE = Path(__file__).parent / "upgrade"
ROOT = Path(settings.BASE_DIR)

# What the journey left, with at least this many rows, so the comparison below is never over
# an empty fixture (the demo's year of tasks, then deploy/upgrade/journey.py).
EXPECTED = {
    "assignments_assignment": 300,  # tasks
    "assignments_assignmentevent": 1000,  # their timelines
    "audit_auditevent": 1000,
    "assignments_assignmentattachment": 3,  # files: progress, completion (twice), comment
    "assignments_extension": 1,
    "assignments_explanation": 1,
    "reports_generatedreport": 1,  # a report file made by the worker's step
    "reminders_outbox": 1,  # the scheduler's e-mails
}

STATUSES = """
import json, sys, datetime as dt
import django
django.setup()
from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.status import label_rows
tasks = list(Assignment.objects.order_by("pk"))
label_rows(tasks, dt.date.fromisoformat(sys.argv[1]))
print(json.dumps({t.code: [str(t.st_label), str(t.st_timing)] for t in tasks}))
"""


class UpgradeFromPreviousReleaseTest(SimpleTestCase):
    def test_the_previous_releases_data_survives_the_current_migrations(self) -> None:
        manifest = json.loads((HERE / "manifest.json").read_text())
        for table, least in EXPECTED.items():
            self.assertGreaterEqual(manifest["tables"][table]["rows"], least, table)
        self.assertGreaterEqual(len(manifest["files"]), 5)

        with tempfile.TemporaryDirectory() as tmp:
            var = Path(tmp)
            with tarfile.open(HERE / "previous.tar.xz") as archive:
                archive.extractall(var, filter="data")
            env = {
                **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
                "DJANGO_SETTINGS_MODULE": "nhiemvu.settings",
                "NHIEMVU_VAR_DIR": str(var),
                "SQLITE_PATH": str(var / "db.sqlite3"),
                "MEDIA_ROOT": str(var / "media"),
                "NHIEMVU_PRODUCTION": "0",
            }
            migrate = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--no-input"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            self.assertEqual(migrate.returncode, 0, migrate.stdout + migrate.stderr)

            self.assertEqual(dbmanifest.compare(manifest, var / "db.sqlite3", var / "media"), [])
            statuses = subprocess.run(
                [sys.executable, "-c", STATUSES, manifest["day"]],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            self.assertEqual(statuses.returncode, 0, statuses.stderr)
            self.assertEqual(json.loads(statuses.stdout), manifest["statuses"])


class ManifestTest(SimpleTestCase):
    """The comparison itself sees a lost row, a changed value and a lost file."""

    def test_it_names_what_an_upgrade_lost_or_changed(self) -> None:
        import sqlite3

        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp)
            db_path, media = base / "db.sqlite3", base / "media"
            media.mkdir()
            (media / "a.pdf").write_bytes(b"%PDF-1.4 a")
            db = sqlite3.connect(db_path)
            db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, state TEXT)")
            db.executemany("INSERT INTO t VALUES (?, ?)", [(1, "done"), (2, "open")])
            db.commit()
            before = dbmanifest.manifest(db_path, media)
            db.execute("ALTER TABLE t ADD COLUMN added TEXT")  # a new column is no loss
            db.commit()
            self.assertEqual(dbmanifest.compare(before, db_path, media), [])
            db.execute("UPDATE t SET state = 'open' WHERE id = 1")
            db.commit()
            self.assertEqual(
                dbmanifest.compare(before, db_path, media), ["t: same 2 rows, values changed"]
            )
            db.execute("DELETE FROM t WHERE id = 2")
            db.commit()
            db.close()
            (media / "a.pdf").unlink()
            self.assertEqual(
                dbmanifest.compare(before, db_path, media),
                ["t: 2 rows before, 1 after", "file a.pdf: gone"],
            )
