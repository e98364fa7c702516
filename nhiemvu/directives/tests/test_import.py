""" "Nhập văn bản": read the founding letter, review, register it in one save."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import reverse

from nhiemvu.assignments.models import Assignment
from nhiemvu.directives.models import Directive
from nhiemvu.orgs.models import OrgAlias, Organisation, OrgKind
from nhiemvu.test import BaseTestCase, make_org

CORPUS = Path(__file__).resolve().parents[2] / "extraction" / "tests" / "corpus" / "dev.jsonl"
URL = "/van-ban/nhap/"


def founding_letter() -> str:
    text: str = json.loads(CORPUS.read_text(encoding="utf-8").splitlines()[0])["text"]
    return text


class ImportTest(BaseTestCase):
    tttt: Organisation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tttt = make_org("so-tttt", "Sở Thông tin và Truyền thông")
        OrgAlias.objects.create(org=cls.p.wg_org, alias="Tổ công tác của Chủ tịch UBND tỉnh")
        OrgAlias.objects.create(org=cls.p.office_org, alias="Văn phòng UBND tỉnh")
        make_org("quy-nhon", "UBND thành phố Quy Nhơn", OrgKind.DISTRICT)

    def read(self, **data: object) -> Any:
        self.login(self.p.office)
        return self.client.post(URL, {"step": "read", **data})

    def form_data(self, response: HttpResponse) -> dict[str, object]:
        """What the browser would send back: every field of the review form as rendered."""
        html = response.content.decode()
        data: dict[str, object] = {}
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
            if "__prefix__" not in name:
                data[name] = value
        for name in re.findall(r'<input type="checkbox" name="([^"]+)"[^>]*checked', html):
            data[name] = "on"
        for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
            if "__prefix__" not in name:
                data[name] = _unescape(body.lstrip("\n"))
        for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
            if "__prefix__" in name:
                continue
            chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', body)
            data[name] = (
                chosen
                if "multiple" in html.split(f'name="{name}"')[1][:200]
                else (chosen[0] if chosen else "")
            )
        data["step"] = "save"
        return data

    def test_only_the_office_may_import(self) -> None:
        for user in (self.p.lead_officer, self.p.chairman, self.p.outsider):
            self.login(user)
            self.assertEqual(self.client.get(URL).status_code, 403)
            self.assertEqual(self.client.post(URL, {"step": "save"}).status_code, 403)

    def test_the_founding_letter_in_a_few_clicks(self) -> None:
        response = self.read(text=founding_letter(), doc_date="2022-03-08")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="1147/UBND-KSTT"')
        rows = re.findall(r'<li class="proposal[^"]*" id="task-\d+"', response.content.decode())
        self.assertEqual(len(rows), 5)  # one folded row per proposed task
        self.assertContains(response, "<mark")  # the evidence is shown in the text
        self.assertFalse(Directive.objects.filter(number=1147).exists())  # nothing saved yet
        data = self.form_data(response)
        # The group task's agencies ("các cơ quan, đơn vị, địa phương") were preselected.
        self.assertGreaterEqual(len(data["task-0-leads"]), 3)  # type: ignore[arg-type]
        saved = self.client.post(URL, data)
        directive = Directive.objects.get(number=1147, year=2022)
        self.assertRedirects(saved, reverse("directive_detail", args=[directive.code]))
        tasks = Assignment.objects.filter(directive=directive)
        self.assertEqual(tasks.filter(group__isnull=False).count(), len(data["task-0-leads"]))  # type: ignore[arg-type]
        idesk = tasks.get(content__contains="iDesk")
        self.assertEqual((idesk.lead, idesk.deadline), (self.tttt, dt.date(2022, 3, 31)))
        self.assertEqual(tasks.get(content__contains="03 tháng/lần").recurrence, "quarterly")

    def test_a_deliverable_without_deadline_needs_the_reason_and_nothing_is_lost(self) -> None:
        text = "Giao Sở Tài chính báo cáo UBND tỉnh kết quả rà soát kinh phí."
        response = self.read(text=text, doc_date="2026-03-02")
        self.assertContains(response, 'value="deliverable_without_deadline"')
        data = self.form_data(response)
        data.update(ref="77/UBND-KT", subject="Về việc rà soát kinh phí", issuer="ubnd")
        refused = self.client.post(URL, data)
        self.assertEqual(refused.status_code, 400)
        self.assertContains(refused, "77/UBND-KT", status_code=400)  # what was typed is kept
        self.assertContains(refused, "lý do", status_code=400)
        self.assertFalse(Directive.objects.filter(number=77).exists())
        data["task-0-no_deadline_reason"] = "Chờ số liệu quyết toán."
        self.client.post(URL, data)
        task = Assignment.objects.get(directive__number=77)
        self.assertTrue(task.flagged)

    def test_a_file_upload_and_a_bad_file(self) -> None:
        import docx

        document = docx.Document()
        document.add_paragraph("Giao Sở Tài chính báo cáo UBND tỉnh trước ngày 20/3/2026.")
        buffer = io.BytesIO()
        document.save(buffer)
        upload = SimpleUploadedFile("cv.docx", buffer.getvalue())
        response = self.read(file=upload, doc_date="2026-03-02")
        self.assertContains(response, 'value="20/03/2026"')  # day first, as typed
        bad = self.read(file=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 rubbish"))
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "hỏng", status_code=400)
        empty = self.read(text="  ")
        self.assertEqual(empty.status_code, 400)

    def test_a_monthly_report_keeps_its_day_from_the_text_to_each_period(self) -> None:
        text = (
            "Giao Sở Tài chính định kỳ hằng tháng, trước ngày 20 báo cáo UBND tỉnh tình hình "
            "giải ngân vốn đầu tư công."
        )
        response = self.read(text=text, doc_date="2026-03-02")
        self.assertContains(response, "hạn ngày 20")  # in the folded row
        data = self.form_data(response)
        self.assertEqual(data["task-0-recurrence"], "monthly")
        self.assertEqual(data["task-0-recurrence_day"], "20")
        data.update(ref="78/UBND-KT", subject="Về việc báo cáo giải ngân", issuer="ubnd")
        saved = self.client.post(URL, data)
        self.assertEqual(saved.status_code, 302, saved.content[-3000:])
        parent = Assignment.objects.get(directive__number=78)
        self.assertEqual(parent.recurrence_day, 20)
        from nhiemvu.assignments.services import occurrences_create

        occurrences_create(today=dt.date(2026, 4, 3))
        april = Assignment.objects.get(recurring_parent=parent)
        self.assertEqual(april.deadline, dt.date(2026, 4, 20))  # not the 30th
        page = self.client.get(f"/nhiem-vu/{parent.code}/")
        self.assertContains(page, "hạn ngày 20")


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)
