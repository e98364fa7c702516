"""Import from a document-management system: header fields + file, read, idempotent."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from nhiemvu.assignments.models import Assignment
from nhiemvu.directives.models import Directive, DirectiveAttachment
from nhiemvu.test import BaseTestCase, api_key

TEXT = (
    "UỶ BAN NHÂN DÂN TỈNH\n"
    "Số: 77/UBND-KT\n"
    "Về việc rà soát thủ tục hành chính\n"
    "1. Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Tài chính rà soát thủ tục hành "
    "chính, báo cáo kết quả về UBND tỉnh trước ngày 30/4/2026.\n"
    "2. Giao Sở Tài chính xây dựng kế hoạch kiểm tra, trình UBND tỉnh.\n"
)


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class ImportApiTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.key = api_key(self.p.office_org, role="office")

    def post(self, key: str | None = None, **fields: Any) -> Any:
        data = {
            "issuer": self.p.province.code,
            "number": 77,
            "symbol": "UBND-KT",
            "doc_date": "2026-03-09",
            "doc_type": "CV",
            "subject": "Về việc rà soát thủ tục hành chính",
            "signer_name": "Nguyễn Văn A",
            "signer_title": "Phó Chủ tịch",
            "authority": "KT",
            **fields,
        }
        return self.client.post(
            "/api/v1/directives/import",
            data,
            headers={"Authorization": f"Bearer {key or self.key}"},
        )

    def test_a_file_is_read_proposed_and_the_import_is_idempotent(self) -> None:
        upload = SimpleUploadedFile("77-UBND-KT.docx", docx_bytes(TEXT))
        first = self.post(file=upload)
        self.assertEqual(first.status_code, 201, first.content)
        body = first.json()
        self.assertTrue(body["created"])
        self.assertEqual(body["directive"]["ref"], "77/UBND-KT")
        self.assertEqual(len(body["directive"]["attachments"]), 1)
        proposed = body["proposed_tasks"]
        self.assertEqual(len(proposed), 2)
        self.assertEqual(proposed[0]["leads"], [self.p.agency_a.code])
        self.assertEqual(proposed[0]["deadline"], "2026-04-30")
        self.assertIn("deliverable_without_deadline", proposed[1]["warnings"])
        self.assertEqual(
            Assignment.objects.filter(directive__number=77).count(), 0
        )  # proposed only
        again = self.post(file=SimpleUploadedFile("77-UBND-KT.docx", docx_bytes(TEXT)))
        self.assertEqual(again.status_code, 200)
        self.assertFalse(again.json()["created"])
        self.assertEqual(Directive.objects.filter(number=77).count(), 1)
        self.assertEqual(DirectiveAttachment.objects.count(), 1)

    def test_register_tasks_registers_them_and_flags_the_one_without_deadline(self) -> None:
        response = self.post(text=TEXT, register_tasks="true")
        self.assertEqual(response.status_code, 201, response.content)
        tasks = Assignment.objects.filter(directive__number=77).order_by("id")
        self.assertEqual([t.lead for t in tasks], [self.p.agency_a, self.p.agency_b])
        self.assertFalse(tasks[0].flagged)
        self.assertTrue(tasks[1].flagged)  # a plan demanded with no deadline: loudly flagged
        self.assertEqual(len(response.json()["directive"]["tasks"]), 2)

    def test_bad_input_is_refused_with_a_reason_and_nothing_is_stored(self) -> None:
        cases: list[tuple[dict[str, Any], int, str]] = [
            ({"issuer": "khong-co"}, 400, "issuer"),
            ({"doc_date": "2026-02-30"}, 422, "doc_date"),
            ({"doc_date": "2027-01-01"}, 400, "doc_date"),
            ({"number": "abc"}, 422, "number"),
            ({"subject": ""}, 422, "subject"),
            ({"file": SimpleUploadedFile("x.pdf", b"not a pdf at all")}, 400, "file"),
            ({"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00binary")}, 400, "file"),
        ]
        for fields, status, field in cases:
            with self.subTest(fields=fields):
                response = self.post(**fields)
                self.assertEqual(response.status_code, status, response.content)
                self.assertIn(field, response.json()["fields"])
        self.assertFalse(Directive.objects.filter(number=77).exists())

    @override_settings(MAX_UPLOAD_BYTES=1000)
    def test_an_oversized_file_is_refused(self) -> None:
        response = self.post(file=SimpleUploadedFile("big.txt", b"a" * 2000))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["fields"]["file"], ["Tệp quá lớn."])

    def test_an_agency_key_cannot_import(self) -> None:
        response = self.post(key=api_key(self.p.agency_a))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Directive.objects.filter(number=77).exists())

    def test_documents_list_and_detail_follow_visibility(self) -> None:
        self.post(text=TEXT, register_tasks="true")
        lead = api_key(self.p.agency_a, scope="read")
        outsider = api_key(self.p.agency_c, scope="read")
        headers = {"Authorization": f"Bearer {lead}"}
        listed = self.client.get("/api/v1/directives", headers=headers).json()["items"]
        self.assertEqual({d["ref"] for d in listed}, {"100/UBND-KT", "77/UBND-KT"})
        code = next(d["code"] for d in listed if d["ref"] == "77/UBND-KT")
        hidden = self.client.get(
            f"/api/v1/directives/{code}", headers={"Authorization": f"Bearer {outsider}"}
        )
        self.assertEqual(hidden.status_code, 404)
