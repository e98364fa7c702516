"""A backup restores every task, every audit event and every uploaded file."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TransactionTestCase, override_settings

from nhiemvu.assignments.models import Assignment, AssignmentEvent
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.audit.models import AuditEvent
from nhiemvu.directives.models import DirectiveAttachment
from nhiemvu.test import Province, register, travel

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class BackupTest(TransactionTestCase):
    def test_backup_then_restore_brings_everything_back(self) -> None:
        with (
            tempfile.TemporaryDirectory() as tmp,
            override_settings(MEDIA_ROOT=Path(tmp) / "media"),
        ):
            with travel(dt.date(2026, 3, 11)):
                p = Province()
                directive = register(
                    p,
                    tasks=[
                        TaskSpec(
                            content=f"Nhiệm vụ {i}",
                            lead=p.agency_a,
                            deadline=dt.date(2026, 4, 1 + i),
                        )
                        for i in range(5)
                    ],
                )
                from nhiemvu.directives.services import directive_attach

                directive_attach(
                    actor=p.office,
                    directive=directive,
                    upload=SimpleUploadedFile("van-ban.pdf", PDF),
                )
            codes = set(Assignment.objects.values_list("code", flat=True))
            audit = AuditEvent.objects.count()
            events = AssignmentEvent.objects.count()
            attachment = DirectiveAttachment.objects.get()
            stored = Path(attachment.file.path)
            self.assertTrue(stored.is_file())

            out = Path(tmp) / "sao-luu.db"
            call_command("backup", output=out, stdout=io.StringIO())
            # Disaster: tasks, the audit log and the file are gone.
            Assignment.objects.all().delete()
            AuditEvent.objects.all().delete()
            stored.unlink()
            with self.assertRaises(CommandError):
                call_command("restore", out)  # asks for --yes first
            call_command("restore", out, yes=True, stdout=io.StringIO())

            self.assertEqual(set(Assignment.objects.values_list("code", flat=True)), codes)
            self.assertEqual(AuditEvent.objects.count(), audit)
            self.assertEqual(AssignmentEvent.objects.count(), events)
            self.assertEqual(stored.read_bytes(), PDF)

    def test_a_file_that_is_not_a_backup_is_refused_and_changes_nothing(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            bogus = Path(tmp) / "khong-phai.sqlite3"
            bogus.write_bytes(b"day khong phai co so du lieu" * 100)
            with travel(dt.date(2026, 3, 11)):
                p = Province()
                register(p)
            before = Assignment.objects.count()
            with self.assertRaises(CommandError):
                call_command("restore", bogus, yes=True)
            self.assertEqual(Assignment.objects.count(), before)
