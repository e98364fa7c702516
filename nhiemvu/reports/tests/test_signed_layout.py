"""The signed quarterly report reads like a Decree 30 document (issue 27 item 8): the visible
signature sits under "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" and above the Chairman's printed name, on
the same page as "Nơi nhận"; the lessons are grouped by cause with the agencies named, not one
identical sentence per agency."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import override_settings
from pypdf import PdfReader

from nhiemvu.assignments import services
from nhiemvu.assignments.models import Assignment, DelayCause
from nhiemvu.lib import periods
from nhiemvu.reports import causes as report_causes
from nhiemvu.reports import exporters, selectors
from nhiemvu.reports import services as report_services
from nhiemvu.test import BaseTestCase, register, travel
from nhiemvu.tests import certs

D = dt.date
Q1 = periods.parse("2026-Q1")
CHAIN = certs.chain("CA Chính phủ thử")
OFFICE = CHAIN.signer("Văn phòng UBND tỉnh", "Văn phòng UBND tỉnh Gia Lai")
SENTENCE = "Khối lượng công việc lớn, nhân lực mỏng"
LESSON = "Phân công đầu mối ngay khi nhận nhiệm vụ"


def signature_page(pdf: bytes) -> tuple[int, str, tuple[float, ...]]:
    """The page holding the visible signature, its text, and the widget's rectangle."""
    reader = PdfReader(io.BytesIO(pdf))
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", []):
            widget = annotation.get_object()
            if widget.get("/FT") == "/Sig":
                rect = tuple(float(v) for v in widget["/Rect"])
                return index, page.extract_text(), rect
    raise AssertionError("no signature widget")


class SignedReportLayoutTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.p
        cause = DelayCause.objects.get(code="khoi-luong-lon")
        people = {p.agency_a: p.lead_officer, p.agency_b: p.coord_officer, p.agency_c: p.outsider}
        with travel(D(2026, 1, 5)):
            directive = register(
                p,
                ref="700/UBND-KT",
                doc_date=D(2026, 1, 5),
                tasks=[
                    services.TaskSpec(
                        content=f"Nhiệm vụ {n} của {org.name}", lead=org, deadline=D(2026, 2, 10)
                    )
                    for n in range(6)  # the latest explanations one per agency
                    for org in people
                ],
            )
        with travel(D(2026, 2, 25)):
            tasks = Assignment.objects.filter(directive=directive).select_related("lead")
            for task in tasks.order_by("id"):
                services.assignment_report_completion(
                    actor=people[task.lead],
                    task=task,
                    output_ref="2/BC",
                    output_date=D(2026, 2, 25),
                    explanation=services.ExplanationSpec(cause=cause, text=SENTENCE, remedy=LESSON),
                )
                services.assignment_confirm(actor=p.office, task=task)

    def setUp(self) -> None:
        super().setUp()
        folder = Path(tempfile.mkdtemp())
        key = folder / "van-phong.p12"
        key.write_bytes(CHAIN.pkcs12(OFFICE))
        self.signing = override_settings(
            NHIEMVU={
                **settings.NHIEMVU,
                "SIGNING_PKCS12": str(key),
                "SIGNING_PASSWORD": certs.PASSPHRASE.decode(),
            }
        )

    def report(self) -> bytes:
        with self.signing:
            made = report_services.report_file(
                user=self.p.chairman, period=periods.parse("2026-Q1"), fmt="pdf"
            )
        content: Any = made.content
        return bytes(content)

    def test_the_signature_sits_between_the_title_and_the_chairmans_name(self) -> None:
        _index, text, _rect = signature_page(self.report())
        self.assertIn("TM. ỦY BAN NHÂN DÂN", text)
        self.assertIn("Nơi nhận", text)
        self.assertLess(text.index("CHỦ TỊCH"), text.index(self.p.chairman.display_name))

    def test_the_block_never_breaks_from_its_signature_whatever_comes_before(self) -> None:
        # The lessons' length moves the closing block down the last page; at some lengths the
        # title stayed at the foot of one page and the signature went alone to the next.
        summary = selectors.summary_by_org(self.p.chairman, Q1, D(2026, 3, 11))
        name = self.p.chairman.display_name
        for lines in range(8, 22):
            given = report_causes.Causes(
                Q1,
                D(2026, 3, 11),
                [report_causes.CauseRow("k", "Khối lượng lớn", late=lines)],
                [],
                [],
                [],
                [
                    ("Khối lượng lớn", f"Cơ quan {n}", f"Giải trình số {n} " * 6, "")
                    for n in range(lines)
                ],
            )
            with self.subTest(lines=lines), self.signing:
                pdf = exporters.to_pdf(summary, [], [], (), given)
                reader = PdfReader(io.BytesIO(pdf))
                index, text, _rect = signature_page(pdf)
                self.assertIn("CHỦ TỊCH", text)
                self.assertIn(name, text)
                self.assertEqual(index, len(reader.pages) - 1)

    def test_the_lessons_are_grouped_by_cause_with_the_agencies_named(self) -> None:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(self.report())).pages)
        flat = " ".join(text.split())
        self.assertEqual(flat.count(SENTENCE), 1)
        self.assertIn("Sở Khoa học và Công nghệ, Sở Tài chính, UBND huyện Tây Sơn", flat)
