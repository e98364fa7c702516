"""What a civil servant notices at once: titles written the Decree 30 way, a work product
named once, a proposed summary without its deadline phrase, a report period chosen by name,
a registration that says "registered"."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from nhiemvu.assignments.templatetags.tasks import deliverable_line
from nhiemvu.directives.templatetags.directives import signature_lines
from nhiemvu.extraction.engine import proposed_summary
from nhiemvu.lib import periods
from nhiemvu.lib.vntext import office_title
from nhiemvu.test import BaseTestCase


def test_titles_are_written_as_decree_30_writes_them() -> None:
    assert office_title("PHÓ CHỦ TỊCH") == "Phó Chủ tịch"
    assert office_title("CHỦ TỊCH") == "Chủ tịch"
    assert office_title("CHÁNH VĂN PHÒNG") == "Chánh Văn phòng"
    assert office_title("GIÁM ĐỐC") == "Giám đốc"


def test_the_signature_block_reads_kt_chu_tich_over_pho_chu_tich() -> None:
    vice = SimpleNamespace(authority="KT", signer_title="Phó Chủ tịch", signer_name="Lâm Hải Giang")
    assert signature_lines(vice) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lâm Hải Giang"]
    chair = SimpleNamespace(authority="TM", signer_title="Chủ tịch", signer_name="Nguyễn Phi Long")
    assert signature_lines(chair) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Phi Long"]


def test_a_work_product_is_named_once() -> None:
    def task(kind: str, text: str) -> SimpleNamespace:
        labels = {"bao_cao": "Báo cáo", "ke_hoach": "Kế hoạch", "": ""}
        return SimpleNamespace(
            deliverable_kind=kind,
            deliverable_text=text,
            get_deliverable_kind_display=lambda: labels[kind],
        )

    assert deliverable_line(task("bao_cao", "Báo cáo")) == "Báo cáo"
    assert deliverable_line(task("bao_cao", "Báo cáo kết quả")) == "Báo cáo kết quả"
    assert (
        deliverable_line(task("ke_hoach", "triển khai Đề án 06")) == "Kế hoạch: triển khai Đề án 06"
    )
    assert deliverable_line(task("", "")) == "—"


def test_a_proposed_summary_starts_with_a_capital_and_leaves_the_deadline_out() -> None:
    assert (
        proposed_summary(
            "rà soát các dự án, hoàn thành trước ngày 30/6/2026", "trước ngày 30/6/2026"
        )
        == "Rà soát các dự án"
    )
    assert (
        proposed_summary(
            "tổng hợp, báo cáo UBND tỉnh trước ngày 01…", "trước ngày 01 tháng 11 năm 2018"
        )
        == "Tổng hợp, báo cáo UBND tỉnh"
    )
    assert proposed_summary("xây dựng báo cáo", None) == "Xây dựng báo cáo"


def test_report_periods_are_offered_by_name_newest_first() -> None:
    found = periods.recent(dt.date(2026, 12, 2), rule=periods.CALENDAR)
    assert found["quarter"][0].key == "2026-Q4"
    assert found["quarter"][0].label == "Quý IV năm 2026"
    assert found["month"][1].key == "2026-11"
    assert found["half"][0].label == "6 tháng cuối năm 2026"
    assert len(found["month"]) == periods.RECENT["month"]


class SmallThingsPagesTest(BaseTestCase):
    def test_the_report_page_offers_periods_by_name_and_still_reads_a_typed_key(self) -> None:
        self.login(self.p.office)
        page = self.client.get("/bao-cao/").content.decode()
        self.assertIn("Quý I năm 2026", page)
        self.assertIn('<select name="period"', page)
        older = self.client.get("/bao-cao/?period=2019-Q2&rule=calendar")
        self.assertEqual(older.status_code, 200)
        self.assertContains(older, "Quý II năm 2019")

    def test_the_review_checkbox_says_what_it_does(self) -> None:
        from nhiemvu.directives.forms import TaskForm

        self.assertEqual(str(TaskForm().fields["keep"].label), "Giao nhiệm vụ này")


@pytest.mark.django_db  # the form lists the causes of delay (issue 18)
def test_a_date_is_read_day_first_whatever_the_browser() -> None:
    from nhiemvu.assignments.forms import ExtensionForm

    form = ExtensionForm({"proposed_deadline": "02/12/2026", "reason": "Chờ số liệu"})
    assert form.is_valid()
    assert form.cleaned_data["proposed_deadline"] == dt.date(2026, 12, 2)
    iso = ExtensionForm({"proposed_deadline": "2026-12-02", "reason": "r"})
    assert iso.is_valid() and iso.cleaned_data["proposed_deadline"] == dt.date(2026, 12, 2)
    wrong = ExtensionForm({"proposed_deadline": "12/31/2026", "reason": "r"})
    assert not wrong.is_valid()
    assert "dd/mm/yyyy" in wrong.errors["proposed_deadline"][0]
    html = str(ExtensionForm(initial={"proposed_deadline": dt.date(2026, 12, 2)}))
    assert 'value="02/12/2026"' in html
    assert 'type="date"' not in html
    assert 'placeholder="dd/mm/yyyy"' in html
