"""Organisations in time (issue 25): "the province" is the one in force on the date, asked in one
place (orgs.selectors.province_on), by the urging letter, the Excel import (its issuer and its
"already registered?" check) and the reader's unnamed issuer. The demo's shape: UBND tỉnh Bình
Định, created first, ceased on 30/6/2025; UBND tỉnh Gia Lai from 1/7/2025.

The agreement tests hold every consumer of "in force on a date" and "the province on a date" to
their home, over generated organisations and days:

in force   Organisation.is_active_on (predicate) · selectors.in_force_q / active_organisations
           (filter) · the organisations API's ?active_on= · matching.Directory.load(on) (the
           picker's rows)
province   selectors.province_on (filter) · selectors.province_from (predicate) · the urging
           letter's registration (reminders.services) · the Excel import's commit
           (directives.excel) · the reader's unnamed issuer (directives.selectors._issuer_for)
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from nhiemvu.assignments.models import Assignment
from nhiemvu.directives import excel
from nhiemvu.directives.models import Directive
from nhiemvu.directives.selectors import _issuer_for
from nhiemvu.directives.services import DirectiveSpec, directive_create
from nhiemvu.orgs import matching
from nhiemvu.orgs.models import Organisation, OrgKind
from nhiemvu.orgs.selectors import active_organisations, province_from, province_on
from nhiemvu.reminders.services import urging_letter_register
from nhiemvu.test import BaseTestCase, Province, api_key, travel

JUNE_30 = dt.date(2025, 6, 30)
JULY_1 = dt.date(2025, 7, 1)


def two_provinces(p: Province) -> Organisation:
    """The personas' province becomes Bình Định, ended (it was created first, as in the demo);
    Gia Lai, created after it, is in force from 1/7/2025. Returns Gia Lai."""
    gia_lai = Organisation.objects.create(
        code="ubnd-gia-lai", name="UBND tỉnh Gia Lai", kind=OrgKind.PROVINCE, valid_from=JULY_1
    )
    p.province.name = "UBND tỉnh Bình Định"
    p.province.valid_to = JUNE_30
    p.province.successor = gia_lai
    p.province.save()
    return gia_lai


def workbook(rows: list[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, [title for _key, title, _required in excel.FIELDS])
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    book.close()
    return buffer.getvalue()


ROW = [
    "210/UBND-KT",
    "02/03/2026",
    "Về việc rà soát",
    "Rà soát kinh phí",
    "Sở Tài chính",
    "",
    "Báo cáo",
    "31/03/2026",
    "",
]


class TheProvinceInForceTest(BaseTestCase):
    gia_lai: Organisation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gia_lai = two_provinces(cls.p)

    def test_it_registers_the_urging_letter_under_the_province_in_force(self) -> None:
        self.login(self.p.office)
        with travel(dt.date(2026, 3, 20)):
            response = self.client.post(
                "/don-doc/so-khcn/cap-nhat/", {"ref": "88/UBND-KSTT", "doc_date": "2026-03-20"}
            )
        self.assertEqual(response.status_code, 302)
        letter = Directive.objects.get(number=88)
        self.assertEqual(letter.issuer, self.gia_lai)

    def import_rows(self, rows: list[list[Any]]) -> None:
        self.login(self.p.office)
        upload = SimpleUploadedFile("nv.xlsx", workbook(rows))
        page = self.client.post("/bao-cao/nhap-excel/", {"step": "upload", "file": upload})
        self.assertEqual(page.status_code, 200)
        token = page.context["token"]
        mapping = {f"map-{key}": str(i) for i, (key, _t, _r) in enumerate(excel.FIELDS)}
        done = self.client.post(
            "/bao-cao/nhap-excel/", {"step": "commit", "token": token, **mapping}
        )
        self.assertEqual(done.status_code, 302)

    def test_it_imports_excel_rows_under_the_province_in_force(self) -> None:
        self.import_rows([ROW])
        (document,) = Directive.objects.filter(number=210)
        self.assertEqual(document.issuer, self.gia_lai)

    def test_the_import_finds_a_document_already_registered_under_the_province(self) -> None:
        directive_create(
            actor=self.p.office,
            spec=DirectiveSpec(
                issuer=self.gia_lai,
                ref="210/UBND-KT",
                doc_date=dt.date(2026, 3, 2),
                subject="Về việc rà soát",
            ),
        )
        self.import_rows([ROW])
        (document,) = Directive.objects.filter(number=210)  # reused, not registered twice
        self.assertEqual(Assignment.objects.filter(directive=document).count(), 1)

    def test_the_reader_proposes_the_province_in_force_for_an_unnamed_issuer(self) -> None:
        self.login(self.p.office)
        text = "Giao Sở Tài chính chủ trì rà soát kinh phí, báo cáo trước ngày 31/3/2026."
        page = self.client.post("/van-ban/nhap/", {"text": text, "doc_date": "05/03/2026"})
        self.assertEqual(page.context["proposal"].header["issuer"], "ubnd-gia-lai")
        earlier = self.client.post("/van-ban/nhap/", {"text": text, "doc_date": "05/03/2025"})
        self.assertEqual(earlier.context["proposal"].header["issuer"], self.p.province.code)

    def test_the_letter_is_refused_plainly_when_no_province_is_in_force(self) -> None:
        self.gia_lai.valid_from = dt.date(2027, 1, 1)
        self.gia_lai.save()
        with self.assertRaises(ValidationError) as refused:
            urging_letter_register(
                actor=self.p.office, org=self.p.agency_a, ref="89/UBND-KSTT", doc_date=JULY_1
            )
        self.assertIn("01/07/2025", " ".join(refused.exception.messages))
        self.assertFalse(Directive.objects.filter(number=89).exists())


# --- agreement over generated organisations and days ----------------------------------------

BASE = dt.date(2025, 1, 1)
DAYS = st.integers(min_value=0, max_value=729).map(lambda n: BASE + dt.timedelta(days=n))
# An organisation's validity: an open or dated start, an open end or a length.
VALIDITY = st.tuples(
    st.one_of(st.none(), st.integers(min_value=0, max_value=700)),
    st.one_of(st.none(), st.integers(min_value=0, max_value=400)),
)


def _make(validities: list[tuple[int | None, int | None]], kind: str) -> list[Organisation]:
    orgs = []
    for n, (start, length) in enumerate(validities):
        valid_from = None if start is None else BASE + dt.timedelta(days=start)
        valid_to = None
        if length is not None:
            valid_to = (valid_from or BASE) + dt.timedelta(days=length)
        orgs.append(
            Organisation.objects.create(
                code=f"gen-{kind}-{n}",
                name=f"Cơ quan sinh {kind} {n}",
                kind=kind,
                valid_from=valid_from,
                valid_to=valid_to,
            )
        )
    return orgs


class _Rollback(Exception):
    pass


class AgreementTest(HypothesisTestCase):
    """Every consumer agrees with the home, for every generated history and day."""

    p: Province
    key: str

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Province()
        Organisation.objects.filter(kind=OrgKind.PROVINCE).delete()  # only generated ones
        cls.key = api_key(cls.p.office_org, scope="read", role="office")

    def _in_a_rollback(self, check: Any) -> None:
        # Every generated day is in the past (a document cannot be dated in the future).
        try:
            with travel(dt.date(2027, 1, 4)), transaction.atomic():
                check()
                raise _Rollback
        except _Rollback:
            pass

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(validities=st.lists(VALIDITY, min_size=1, max_size=4), days=st.lists(DAYS, max_size=6))
    def test_in_force_has_one_meaning(
        self, validities: list[tuple[int | None, int | None]], days: list[dt.date]
    ) -> None:
        def check() -> None:
            made = _make(validities, OrgKind.DEPARTMENT)
            for day in days:
                expected = {o.code for o in made if o.is_active_on(day)}
                generated = active_organisations(day).filter(code__startswith="gen-")
                self.assertEqual(set(generated.values_list("code", flat=True)), expected, day)
                api = self.client.get(
                    "/api/v1/organisations",
                    {"active_on": day.isoformat(), "kind": str(OrgKind.DEPARTMENT), "limit": "500"},
                    HTTP_AUTHORIZATION=f"Bearer {self.key}",
                ).json()
                listed = {o["code"] for o in api["items"] if o["code"].startswith("gen-")}
                self.assertEqual(listed, expected, day)
                picker_rows = matching.Directory.load(day).entries
                self.assertEqual(
                    {e.code for e in picker_rows if e.code.startswith("gen-")}, expected, day
                )

        self._in_a_rollback(check)

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(validities=st.lists(VALIDITY, min_size=1, max_size=4), days=st.lists(DAYS, max_size=4))
    def test_the_province_has_one_meaning(
        self, validities: list[tuple[int | None, int | None]], days: list[dt.date]
    ) -> None:
        def check() -> None:
            made = _make(validities, OrgKind.PROVINCE)
            for n, day in enumerate(days):
                home = province_on(day)
                self.assertEqual(home, province_from(made, day), day)
                self.assertEqual(_issuer_for(None, day), home, day)
                letter_ref = f"{900 + n}/UBND-KSTT"
                if home is None:
                    with self.assertRaises(ValidationError):
                        urging_letter_register(
                            actor=self.p.office, org=self.p.agency_a, ref=letter_ref, doc_date=day
                        )
                    with self.assertRaises(excel.ImportError_):
                        excel.commit(actor=self.p.office, rows=[self._row(n, day)])
                    continue
                letter = urging_letter_register(
                    actor=self.p.office, org=self.p.agency_a, ref=letter_ref, doc_date=day
                )
                self.assertEqual(letter.issuer, home, day)
                excel.commit(actor=self.p.office, rows=[self._row(n, day)])
                imported = Directive.objects.get(number=700 + n, year=day.year)
                self.assertEqual(imported.issuer, home, day)

        self._in_a_rollback(check)

    def _row(self, n: int, day: dt.date) -> excel.ParsedRow:
        return excel.ParsedRow(
            2,
            {
                "ref": f"{700 + n}/UBND-KT",
                "doc_date": day,
                "subject": "Về việc thử",
                "content": f"Nhiệm vụ {n}",
                "lead_org": self.p.agency_a,
                "coordinator_orgs": [],
                "deliverable_kind": "",
                "deliverable": "",
                "deadline": None,
                "no_deadline_reason": "Nhiệm vụ thường xuyên",
            },
        )
