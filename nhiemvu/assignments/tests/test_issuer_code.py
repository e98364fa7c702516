"""A task received from above keeps the issuer's code (issue 27 item 3): read from the letter
where it is written, typed on the review screen or the task page, shown on the task, in the
report upward and in the API."""

from __future__ import annotations

import io
from datetime import date as D

import openpyxl

from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.tests.test_upward import receive
from nhiemvu.audit.models import AuditEvent
from nhiemvu.extraction.codes import issuer_task_code
from nhiemvu.orgs.models import OrgKind
from nhiemvu.test import BaseTestCase, api_key, make_org, travel

LETTER = "\n".join(
    [
        "THỦ TƯỚNG CHÍNH PHỦ",
        "Số: 1092/TTg-KTTH",
        "Hà Nội, ngày 01 tháng 12 năm 2026",
        "V/v đẩy nhanh giải ngân vốn đầu tư công năm 2026",
        "Thủ tướng Chính phủ yêu cầu:",
        "1. Giao Ủy ban nhân dân tỉnh đẩy nhanh giải ngân vốn đầu tư công, báo cáo Thủ tướng "
        "Chính phủ trước ngày 31/12/2026 (nhiệm vụ NV-2026-92).",
    ]
)


class IssuerCodeReaderTest(BaseTestCase):
    def test_it_reads_the_code_as_the_letter_writes_it(self) -> None:
        cases = {
            "báo cáo Thủ tướng Chính phủ (nhiệm vụ NV-2026-92).": "NV-2026-92",
            "báo cáo kết quả (Mã nhiệm vụ: 12/NQ-CP)": "12/NQ-CP",
            "mã số nhiệm vụ NV-2026-17, báo cáo trước ngày 20": "NV-2026-17",
            "thực hiện (nhiệm vụ số 17)": "17",
            # No code: words, a year-less phrase, a code without brackets or "mã".
            "thực hiện tốt nhiệm vụ được giao (nhiệm vụ của tỉnh)": "",
            "hoàn thành nhiệm vụ NV-1 đúng hạn": "",
            "": "",
        }
        for text, code in cases.items():
            self.assertEqual(issuer_task_code(text), code, text)

    def test_the_review_screen_proposes_the_code_and_registers_it(self) -> None:
        pm = make_org("thu-tuong", "Thủ tướng Chính phủ", OrgKind.GOVERNMENT)
        with travel(D(2026, 12, 2)):
            self.login(self.p.office)
            review = self.client.post("/van-ban/nhap/", {"text": LETTER})
            self.assertContains(review, 'value="NV-2026-92"')
            self.assertContains(review, "Mã nhiệm vụ của cơ quan giao")
            # The button of a new document says what it does: it registers.
            self.assertContains(review, "Đăng ký văn bản và các nhiệm vụ")
            self.assertNotContains(review, "Cập nhật văn bản")
            saved = self.client.post(
                "/van-ban/nhap/",
                {
                    "step": "save",
                    "text": LETTER,
                    "issuer": pm.code,
                    "ref": "1092/TTg-KTTH",
                    "doc_date": "01/12/2026",
                    "subject": "Về việc đẩy nhanh giải ngân vốn đầu tư công năm 2026",
                    "urgency": "normal",
                    "task-TOTAL_FORMS": "1",
                    "task-INITIAL_FORMS": "1",
                    "task-0-keep": "on",
                    "task-0-content": "Đẩy nhanh giải ngân vốn đầu tư công",
                    "task-0-summary": "Đẩy nhanh giải ngân vốn đầu tư công",
                    "task-0-leads": [self.p.province.code],
                    "task-0-deadline": "31/12/2026",
                    "task-0-external_code": "NV-2026-92",
                },
            )
        self.assertEqual(saved.status_code, 302, saved.content.decode()[:3000])
        task = Assignment.objects.get(directive__issuer=pm)
        self.assertEqual((task.received, task.external_code), (True, "NV-2026-92"))


class IssuerCodeOnTheTaskTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.pm = make_org("thu-tuong", "Thủ tướng Chính phủ", OrgKind.GOVERNMENT)
        with travel(D(2026, 3, 9)):
            self.upper = receive(self.p, self.pm)
        self.url = f"/nhiem-vu/{self.upper.code}/"

    def test_the_office_types_the_code_on_the_task_page_and_every_file_shows_it(self) -> None:
        with travel(D(2026, 3, 10)):
            self.login(self.p.office)
            page = self.client.get(self.url)
            self.assertContains(page, 'id="received-code"')
            self.assertContains(page, "mã của cơ quan giao NV-3")
            saved = self.client.post(
                f"{self.url}ma-giao/", {"external_code": "  NV-2026-92 "}, follow=True
            )
            self.assertContains(saved, "Đã lưu mã nhiệm vụ của cơ quan giao.")
            self.assertContains(saved, "mã của cơ quan giao NV-2026-92")
            xlsx = self.client.get(f"{self.url}bao-cao-len.xlsx")
            docx = self.client.get(f"{self.url}bao-cao-len.docx")
        self.upper.refresh_from_db()
        self.assertEqual(self.upper.external_code, "NV-2026-92")
        self.assertTrue(AuditEvent.objects.filter(action="assignment.external_code").exists())
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
        self.assertIn("Mã nhiệm vụ của cơ quan giao: NV-2026-92", cells)
        import docx as python_docx

        words = "\n".join(p.text for p in python_docx.Document(io.BytesIO(docx.content)).paragraphs)
        self.assertIn("NV-2026-92", words)
        key = api_key(self.p.office_org, scope="read", role="office")
        detail = self.client.get(
            f"/api/v1/tasks/{self.upper.code}", HTTP_AUTHORIZATION=f"Bearer {key}"
        )
        self.assertEqual(detail.json()["external_code"], "NV-2026-92")

    def test_only_the_office_may_change_it_and_too_long_is_refused(self) -> None:
        with travel(D(2026, 3, 10)):
            self.login(self.p.chairman)
            page = self.client.get(self.url)
            self.assertNotContains(page, 'id="received-code"')
            self.client.post(f"{self.url}ma-giao/", {"external_code": "X-1"})
        self.upper.refresh_from_db()
        self.assertEqual(self.upper.external_code, "NV-3")
        with travel(D(2026, 3, 10)):
            self.login(self.p.office)
            refused = self.client.post(
                f"{self.url}ma-giao/", {"external_code": "N" * 61}, follow=True
            )
        self.assertContains(refused, "60")
        self.upper.refresh_from_db()
        self.assertEqual(self.upper.external_code, "NV-3")
