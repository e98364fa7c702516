"""Whoever confirms a completion can open what was sent: the output document opens in the
browser (a PDF) or downloads (a Word file), under the task's own permission rule, with its
number and date beside it, also after the report was returned."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from nhiemvu.assignments import services
from nhiemvu.test import TODAY, BaseTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


class TaskFilesTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        settings = override_settings(MEDIA_ROOT=media)
        settings.enable()
        self.addCleanup(settings.disable)
        services.assignment_report_completion(
            actor=self.p.lead_officer,
            task=self.task,
            output_ref="125/BC-KHCN",
            output_date=TODAY,
            files=[SimpleUploadedFile("bao-cao.pdf", PDF)],
        )
        self.pdf = self.reload().attachments.get()

    def url(self, sha256: str) -> str:
        return f"/nhiem-vu/{self.task.code}/tep/{sha256}/"

    def test_the_working_group_opens_the_reported_pdf_in_the_browser(self) -> None:
        self.login(self.p.working_group)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        self.assertIn(self.url(self.pdf.sha256), page)
        self.assertIn("125/BC-KHCN", page)
        response = self.client.get(self.url(self.pdf.sha256))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)  # type: ignore[attr-defined]
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response["Content-Disposition"].startswith("inline"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Security-Policy"], "sandbox")

    def test_a_word_file_is_downloaded_not_shown(self) -> None:
        services.assignment_return(actor=self.p.office, task=self.reload(), reason="Thiếu số liệu")
        services.assignment_report_progress(
            actor=self.p.lead_officer,
            task=self.reload(),
            text="Phụ lục số liệu",
            files=[SimpleUploadedFile("phu-luc.docx", docx_bytes())],
        )
        word = self.reload().attachments.get(original_name="phu-luc.docx")
        self.login(self.p.office)
        response = self.client.get(self.url(word.sha256))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertIn("phu-luc.docx", response["Content-Disposition"])
        self.assertEqual(response["Content-Type"], "application/octet-stream")

    def test_the_output_number_stays_on_the_timeline_after_the_report_is_returned(self) -> None:
        services.assignment_return(actor=self.p.office, task=self.reload(), reason="Thiếu số liệu")
        self.assertEqual(self.reload().completion_ref, "")
        self.login(self.p.lead_officer)
        page = self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode()
        self.assertIn("125/BC-KHCN", page)
        self.assertIn("bao-cao.pdf", page)

    def test_only_those_who_see_the_task_get_its_files(self) -> None:
        for user, expected in [
            (self.p.outsider, 404),
            (self.p.coord_officer, 200),
            (self.p.chairman, 200),
            (self.p.viewer, 200),
        ]:
            self.login(user)
            self.assertEqual(self.client.get(self.url(self.pdf.sha256)).status_code, expected)
        self.client.logout()
        response = self.client.get(self.url(self.pdf.sha256))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/dang-nhap/", response["Location"])
        self.login(self.p.lead_officer)
        self.assertEqual(self.client.get(self.url("0" * 64)).status_code, 404)

    def test_the_source_documents_files_open_from_the_task_and_document_pages(self) -> None:
        from nhiemvu.directives.services import directive_attach

        directive_attach(
            actor=self.p.office,
            directive=self.directive,
            upload=SimpleUploadedFile("cong-van.pdf", PDF),
        )
        attachment = self.directive.attachments.get()
        url = f"/van-ban/{self.directive.code}/tep/{attachment.sha256}/"
        self.login(self.p.lead_officer)
        self.assertIn(url, self.client.get(f"/nhiem-vu/{self.task.code}/").content.decode())
        self.assertIn(url, self.client.get(f"/van-ban/{self.directive.code}/").content.decode())
        self.assertEqual(self.client.get(url)["Content-Type"], "application/pdf")
        self.login(self.p.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
