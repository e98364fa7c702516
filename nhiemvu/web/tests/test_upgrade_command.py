"""manage.py upgrade: backup, migrate, checks, and the way back (issue 31 item 2)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import TransactionTestCase, override_settings

from nhiemvu.web import migrationlocks
from nhiemvu.web.models import Beat, Duty


def applied(app: str, name: str) -> bool:
    return MigrationRecorder(connection).migration_qs.filter(app=app, name=name).exists()


class UpgradeCommandTest(TransactionTestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.var = Path(tmp.name)
        self.enterContext(
            override_settings(VAR_DIR=self.var, MEDIA_ROOT=self.var / "media", BACKUP_KEEP=0)
        )
        # Whatever a test leaves behind, the database ends migrated for the next one.
        self.addCleanup(call_command, "migrate", verbosity=0)

    def upgrade(self, *args: str) -> str:
        out = io.StringIO()
        call_command("upgrade", *args, stdout=out)
        return out.getvalue()

    def test_it_backs_up_applies_the_pending_migration_and_says_how_to_go_back(self) -> None:
        call_command("migrate", "web", "0001", verbosity=0)
        self.assertFalse(applied("web", "0002_worker_lease"))

        said = self.upgrade()

        self.assertTrue(applied("web", "0002_worker_lease"))
        self.assertIn("web.0002_worker_lease", said)
        backups = sorted((self.var / "backups").glob("nhiemvu-*"))
        self.assertTrue(backups, said)
        self.assertEqual(Beat.objects.get(duty=Duty.BACKUP).total, 1)
        self.assertIn(f"manage.py restore {self.var / 'backups'}", said)
        self.assertIn("manage.py migrate web 0001_initial", said)
        self.assertIn("Nâng cấp xong", said)

    def test_a_migration_that_locks_a_big_table_stops_it_before_anything_changes(self) -> None:
        call_command("migrate", "web", "0001", verbosity=0)
        finding = migrationlocks.Finding(
            "web.0002_worker_lease", "AddIndex", "web.beat", "index built without CONCURRENTLY"
        )
        with (
            mock.patch.object(migrationlocks, "findings", return_value=[finding]),
            self.assertRaisesMessage(CommandError, "--allow-locks"),
        ):
            self.upgrade()
        self.assertFalse(applied("web", "0002_worker_lease"))
        self.assertFalse((self.var / "backups").exists())

        with mock.patch.object(migrationlocks, "findings", return_value=[finding]):
            said = self.upgrade("--allow-locks")
        self.assertTrue(applied("web", "0002_worker_lease"))
        self.assertIn("web.0002_worker_lease: AddIndex on web.beat", said)

    def test_with_nothing_to_apply_it_still_backs_up_and_checks(self) -> None:
        said = self.upgrade()
        self.assertIn("cần chạy: 0", said)
        self.assertTrue(list((self.var / "backups").glob("nhiemvu-*")))
        # No scheduler has stepped on this database: reported, not failed.
        self.assertIn("scheduler", said)
        self.assertIn("Nâng cấp xong", said)
