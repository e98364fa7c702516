"""Backups an auditor believes (issue 31 item 5): sealed at rest with the key from the
environment, pruned to the newest ones, and a restore drill into a scratch database that
compares every table and file with the manifest. Runs on SQLite and on PostgreSQL (make test-pg:
pg_dump from the manifest's snapshot, pg_restore into a scratch database that is dropped)."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings

from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.audit.models import AuditEvent
from nhiemvu.lib import sealed
from nhiemvu.test import Province, register, travel
from nhiemvu.web import backup as backups
from nhiemvu.web.models import Beat, Duty

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET_TEXT = "Nhiệm vụ mật số 7"
KEY = sealed.new_key()


class SealedBackupTest(TransactionTestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.var = Path(tmp.name)
        settings = override_settings(
            VAR_DIR=self.var, MEDIA_ROOT=self.var / "media", BACKUP_KEY=KEY, BACKUP_KEEP=0
        )
        settings.enable()
        self.addCleanup(settings.disable)
        with travel(dt.date(2026, 3, 11)):
            self.p = Province()
            directive = register(
                self.p, tasks=[TaskSpec(content=SECRET_TEXT, lead=self.p.agency_a)]
            )
            from nhiemvu.directives.services import directive_attach

            directive_attach(
                actor=self.p.office,
                directive=directive,
                upload=SimpleUploadedFile("van-ban.pdf", PDF),
            )

    def take(self) -> list[Path]:
        out = io.StringIO()
        call_command("backup", stdout=out)
        return [Path(line) for line in out.getvalue().split()]

    def test_a_sealed_backup_holds_nothing_in_the_clear_and_restores_everything(self) -> None:
        database, files, manifest = self.take()
        self.assertTrue(database.name.endswith(".enc") and files.name.endswith(".enc"))
        for part in (database, files):
            raw = part.read_bytes()
            self.assertTrue(raw.startswith(sealed.MAGIC))
            self.assertNotIn(SECRET_TEXT.encode(), raw)
            self.assertNotIn(b"%PDF-1.4", raw)
            self.assertNotIn(b"SQLite format", raw)
            self.assertNotIn(b"PGDMP", raw)
        # The manifest is for the auditor: counts and hashes, readable.
        listed = json.loads(manifest.read_text())
        self.assertTrue(listed["sealed"])
        self.assertEqual(listed["tables"]["assignments_assignment"][0], 1)
        codes = set(Assignment.objects.values_list("code", flat=True))
        audit = AuditEvent.objects.count()
        Assignment.objects.all().delete()
        AuditEvent.objects.all().delete()
        call_command("restore", database, yes=True, stdout=io.StringIO())
        self.assertEqual(set(Assignment.objects.values_list("code", flat=True)), codes)
        self.assertEqual(AuditEvent.objects.count(), audit)

    def test_without_the_key_or_with_another_a_sealed_backup_is_refused_and_nothing_changes(
        self,
    ) -> None:
        database, _files, _manifest = self.take()
        before = Assignment.objects.count()
        with override_settings(BACKUP_KEY=""), self.assertRaises(CommandError) as missing:
            call_command("restore", database, yes=True)
        self.assertIn("NHIEMVU_BACKUP_KEY", str(missing.exception))
        with (
            override_settings(BACKUP_KEY=sealed.new_key()),
            self.assertRaises(CommandError) as wrong,
        ):
            call_command("restore", database, yes=True)
        self.assertIn("không giải mã được", str(wrong.exception))
        with override_settings(BACKUP_KEY="ngắn"), self.assertRaises(CommandError) as bad:
            call_command("backup", stdout=io.StringIO())
        self.assertIn("--new-key", str(bad.exception))
        self.assertEqual(Assignment.objects.count(), before)

    def test_the_drill_restores_into_a_scratch_database_and_matches_the_manifest(self) -> None:
        database, _files, manifest = self.take()
        out = io.StringIO()
        call_command("backup", drill=str(database), stdout=out)
        self.assertIn("Diễn tập phục hồi đạt", out.getvalue())
        self.assertEqual(Beat.objects.get(duty=Duty.BACKUP_DRILL).total, 1)
        if connection.vendor == "postgresql":
            # The scratch database is gone again.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_database WHERE datname LIKE %s",
                    [connection.settings_dict["NAME"] + "_drill_%"],
                )
                self.assertEqual(cursor.fetchone()[0], 0)
        # A manifest that no longer matches what the backup holds fails the drill, naming why.
        listed = json.loads(manifest.read_text())
        listed["tables"]["assignments_assignment"][0] += 1
        name = next(iter(listed["files"]))
        listed["files"][name] = "0" * 64
        manifest.write_text(json.dumps(listed))
        with self.assertRaises(CommandError) as failed:
            call_command("backup", drill=str(database), stdout=io.StringIO())
        self.assertIn("assignments_assignment", str(failed.exception))
        self.assertIn(name, str(failed.exception))
        self.assertEqual(Beat.objects.get(duty=Duty.BACKUP_DRILL).total, 1)

    def test_pruning_keeps_the_newest_backups_only(self) -> None:
        folder = backups.folder()
        folder.mkdir(parents=True)
        stamps = [f"202603{day:02d}-023000" for day in range(1, 6)]
        for stamp in stamps:
            for suffix in (".dump.enc", "-files.tar.gz.enc", "-manifest.json"):
                (folder / f"nhiemvu-{stamp}{suffix}").write_bytes(b"x")
        (folder / "ghi-chu.txt").write_text("not a backup: never touched")
        with override_settings(BACKUP_KEEP=2):
            self.take()
        left = sorted(p.name for p in folder.iterdir())
        self.assertIn("ghi-chu.txt", left)
        kept = {
            n.split("-")[1] + "-" + n.split("-")[2][:6] for n in left if n.startswith("nhiemvu-")
        }
        self.assertEqual(len(kept), 2)
        self.assertIn("20260305-023000", kept)  # the newest of the old ones, with today's
        self.assertNotIn("20260304-023000", kept)
