"""A signed report file looks signed where a reader expects it, in a real browser (issue 27
item 8): the Chairman downloads the quarter's PDF, signed with the office's certificate; the
signature sits on the page of "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", above the Chairman's printed
name, beside "Nơi nhận"; the agencies that gave the same explanation are named on one line."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from e2e.test_task_flow import login
from nhiemvu.assignments import services
from nhiemvu.assignments.models import Assignment, DelayCause
from nhiemvu.lib import workdays
from nhiemvu.reports.tests.test_signed_layout import CHAIN, OFFICE, signature_page
from nhiemvu.test import Province, register
from nhiemvu.tests import certs

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SENTENCE = "Khối lượng công việc lớn, nhân lực mỏng"


def late_work(p: Province) -> None:
    """Three agencies finish a task late this quarter, each giving the same explanation."""
    today = workdays.today()
    people = {p.agency_a: p.lead_officer, p.agency_b: p.coord_officer, p.agency_c: p.outsider}
    register(
        p,
        ref="700/UBND-KT",
        doc_date=today - dt.timedelta(days=20),
        tasks=[
            services.TaskSpec(
                content=f"Rà soát thủ tục của {org.name}",
                lead=org,
                deadline=today - dt.timedelta(days=5),
            )
            for org in people
        ],
    )
    services.delay_causes_ensure()  # the list a migration seeds; a flushed database lacks it
    cause = DelayCause.objects.get(code="khoi-luong-lon")
    for task in Assignment.objects.select_related("lead").order_by("id"):
        services.assignment_report_completion(
            actor=people[task.lead],
            task=task,
            output_ref="2/BC",
            output_date=today,
            explanation=services.ExplanationSpec(cause=cause, text=SENTENCE, remedy="Giao sớm"),
        )
        services.assignment_confirm(actor=p.office, task=task)


def test_the_chairman_downloads_a_report_signed_under_the_title(
    live_server: Any, page: Any, settings: Any, tmp_path: Path
) -> None:
    p = Province()
    late_work(p)
    key = tmp_path / "van-phong.p12"
    key.write_bytes(CHAIN.pkcs12(OFFICE))
    settings.NHIEMVU = {
        **settings.NHIEMVU,
        "SIGNING_PKCS12": str(key),
        "SIGNING_PASSWORD": certs.PASSPHRASE.decode(),
    }
    base = live_server.url
    login(page, base, "chairman")
    page.goto(f"{base}/bao-cao/")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    pdf = Path(download.value.path()).read_bytes()

    _index, text, _rect = signature_page(pdf)
    assert "TM. ỦY BAN NHÂN DÂN" in text
    assert "Nơi nhận" in text
    assert text.index("CHỦ TỊCH") < text.index(p.chairman.display_name)
    every = " ".join(" ".join(pg.extract_text().split()) for pg in PdfReader(io.BytesIO(pdf)).pages)
    assert every.count(SENTENCE) == 1
    assert "Sở Khoa học và Công nghệ, Sở Tài chính, UBND huyện Tây Sơn" in every
