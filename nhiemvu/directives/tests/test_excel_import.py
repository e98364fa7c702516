"""Import of a province's task list from Excel: every bad row reported, nothing half-saved,
nothing created twice."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from nhiemvu.assignments.models import Assignment
from nhiemvu.directives import excel
from nhiemvu.directives.models import Directive
from nhiemvu.test import BaseTestCase

URL = "/bao-cao/nhap-excel/"
HEADERS = [title for _key, title, _required in excel.FIELDS]


def workbook(rows: list[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADERS)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    book.close()
    return buffer.getvalue()


GOOD = [
    [
        "210/UBND-KT",
        "02/03/2026",
        "Về việc rà soát",
        "Rà soát kinh phí",
        "Sở Tài chính",
        "Sở Khoa học và Công nghệ",
        "Báo cáo",
        "31/03/2026",
        "",
    ],
    [
        "210/UBND-KT",
        "02/03/2026",
        "Về việc rà soát",
        "Kiểm tra hiện trường",
        "UBND huyện Tây Sơn",
        "",
        "",
        "15/04/2026",
        "",
    ],
]
BAD = [
    ["211/UBND-KT", "31/02/2026", "x", "Ngày sai", "Sở Tài chính", "", "", "", ""],
    ["211/UBND-KT", "02/03/2026", "x", "Cơ quan lạ", "Sở Tai chinh lạ", "", "", "", ""],
    ["211/UBND-KT", "02/03/2026", "x", "Thiếu chủ trì", "", "", "", "", ""],
    ["211/UBND-KT", "02/03/2026", "x", "Sản phẩm không hạn", "Sở Tài chính", "", "Báo cáo", "", ""],
]


class ExcelImportTest(BaseTestCase):
    def upload(self, data: bytes) -> Any:
        self.login(self.p.office)
        return self.client.post(
            URL, {"step": "upload", "file": SimpleUploadedFile("ds.xlsx", data)}
        )

    def commit(self, response: Any) -> Any:
        html = response.content.decode()
        token = re.search(r'name="token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        data = {"token": token, "step": "commit"}
        for key, _t, _r in excel.FIELDS:
            chosen = re.search(rf'name="map-{key}".*?<option value="(\d+)" selected', html, re.S)
            data[f"map-{key}"] = chosen.group(1) if chosen else ""
        return self.client.post(URL, data)

    def test_mixed_rows_change_nothing_and_every_bad_row_is_reported(self) -> None:
        before = (Directive.objects.count(), Assignment.objects.count())
        response = self.upload(workbook(GOOD + BAD))
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertEqual(html.count('class="table-danger"'), 4)
        self.assertIn("không phải ngày", html)
        self.assertIn("Sở Tai chinh lạ", html)
        self.assertIn("Có phải: Sở Tài chính", html)  # the closest match is offered
        self.assertIn("Cơ quan chủ trì", html)
        self.assertIn("không có thời hạn", html)
        refused = self.commit(response)
        self.assertEqual(refused.status_code, 400)
        self.assertEqual((Directive.objects.count(), Assignment.objects.count()), before)

    def test_good_rows_import_once(self) -> None:
        first = self.commit(self.upload(workbook(GOOD)))
        self.assertEqual(first.status_code, 302)
        directive = Directive.objects.get(number=210)
        tasks = Assignment.objects.filter(directive=directive)
        self.assertEqual(tasks.count(), 2)
        finance = tasks.get(lead=self.p.agency_b)
        self.assertEqual(
            (finance.deadline, finance.deliverable_kind), (dt.date(2026, 3, 31), "bao_cao")
        )
        self.assertEqual(list(finance.coordinators.all()), [self.p.agency_a])
        again = self.commit(self.upload(workbook(GOOD)))
        self.assertEqual(again.status_code, 302)
        self.assertEqual(Assignment.objects.filter(directive=directive).count(), 2)
        self.assertEqual(Directive.objects.filter(number=210).count(), 1)

    def test_only_the_office_imports_and_a_bad_file_is_refused(self) -> None:
        self.login(self.p.lead_officer)
        self.assertEqual(self.client.get(URL).status_code, 403)
        bad = self.upload(b"not a workbook")
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(self.client.get("/bao-cao/nhap-excel/mau.xlsx").status_code, 200)
