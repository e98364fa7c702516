"""Issue 29: the files a row names come from the zip uploaded with the export, each checked like
any upload; a zip bomb or a path out of its folder is refused, a missing file is listed."""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from nhiemvu.assignments.models import Assignment, AssignmentAttachment
from nhiemvu.audit.models import AuditEvent
from nhiemvu.directives.legacy import runs
from nhiemvu.directives.legacy.models import LegacyRun, LegacyRunStatus
from nhiemvu.directives.legacy.tests.base import LegacyTestCase

HEADERS = [
    "Mã nhiệm vụ",
    "Số ký hiệu",
    "Ngày văn bản",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Hạn xử lý",
    "Trạng thái",
    "Tệp đính kèm",
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def export(*rows: tuple[str, str]) -> bytes:
    lines = [",".join(HEADERS)]
    for legacy_id, files in rows:
        cells = [legacy_id, "12/UBND-KT", "05/01/2026", f"Nhiệm vụ {legacy_id}", "Sở Tài chính"]
        cells += ["28/02/2026", "Đang thực hiện", files]
        lines.append(",".join(f'"{c}"' for c in cells))
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


class LegacyFilesTests(LegacyTestCase):
    HEADERS = HEADERS

    def test_it_attaches_the_files_each_row_names_and_only_once(self) -> None:
        bundle = zipped({"2026/bc-12.pdf": PDF, "2026/kh-3.pdf": PDF + b"%kh"})
        data = export(("A1", "2026/bc-12.pdf; 2026\\kh-3.pdf"), ("A2", ""))
        run = runs.run_step(self.start(data, bundle).pk)
        self.assertEqual((run.status, run.error), (LegacyRunStatus.DONE, ""))
        task = Assignment.objects.get(legacy_id="A1")
        files = task.attachments.order_by("original_name")
        self.assertEqual([f.original_name for f in files], ["bc-12.pdf", "kh-3.pdf"])
        self.assertEqual(files[0].file.read(), PDF)
        self.assertEqual(files[0].uploaded_by, self.p.office)
        start = AuditEvent.objects.get(action="legacy.run_start")
        self.assertEqual(start.after["bundle"], "tep.zip")
        again = runs.run_step(self.start(data, bundle).pk)
        self.assertEqual(again.counts.get("unchanged"), 2)
        self.assertEqual(AssignmentAttachment.objects.count(), 2)

    def test_the_dry_run_lists_a_row_naming_a_missing_or_unaccepted_file(self) -> None:
        bundle = zipped({"2026/bc-12.pdf": PDF, "2026/run.exe": b"MZ\x90\x00"})
        data = export(("A1", "2026/bc-12.pdf"), ("A2", "2026/thieu.pdf"), ("A3", "2026/run.exe"))
        run = self.start(data, bundle)
        with translation.override("vi"):
            run = runs.dry_step(run.pk)
        dry = run.counts["dry"]
        self.assertEqual(dry["counts"], {"new": 1, "refused": 2})
        reasons = {r["legacy_id"]: r["reason"] for r in dry["rows"]}
        self.assertIn("“2026/thieu.pdf” không có trong tệp nén", reasons["A2"])
        self.assertIn("run.exe", reasons["A3"])
        self.assertFalse(runs.dry_is_clean(run))
        self.login(self.p.office)
        page = self.client.get(f"/van-ban/chuyen-doi/{run.code}/")
        self.assertContains(page, "không có trong tệp nén")

    def test_a_row_naming_files_without_a_zip_is_refused(self) -> None:
        run = self.start(export(("A1", "2026/bc-12.pdf")), None)
        with translation.override("vi"):
            run = runs.dry_step(run.pk)
        self.assertIn("chưa tải lên tệp nén", run.counts["dry"]["rows"][0]["reason"])

    def test_it_refuses_a_zip_bomb_and_a_path_out_of_its_folder_and_keeps_nothing(self) -> None:
        bomb = zipped({"2026/big.pdf": b"%PDF-" + b"0" * (3 * 1024 * 1024)})
        escape = zipped({"../../etc/cron.d/x.pdf": PDF})
        absolute = zipped({"/tmp/x.pdf": PDF})
        data = export(("A1", ""))
        with translation.override("vi"):
            for bundle, words in [
                (bomb, "nén bất thường"),
                (escape, "nằm ngoài thư mục"),
                (absolute, "nằm ngoài thư mục"),
                (b"not a zip", "không phải tệp nén zip đọc được"),
            ]:
                with self.subTest(words), self.assertRaises(ValidationError) as caught:
                    self.start(data, bundle)
                self.assertIn(words, caught.exception.messages[0])
        self.assertFalse(LegacyRun.objects.exists())

    def test_the_office_uploads_the_zip_with_the_export(self) -> None:
        self.login(self.p.office)
        response = self.client.post(
            "/van-ban/chuyen-doi/",
            {
                "profile": self.profile.pk,
                "file": SimpleUploadedFile("export.csv", export(("A1", "bc.pdf"))),
                "bundle": SimpleUploadedFile("tep.zip", zipped({"../bc.pdf": PDF})),
            },
        )
        self.assertContains(response, "nằm ngoài thư mục", status_code=400)
        self.assertFalse(LegacyRun.objects.exists())
