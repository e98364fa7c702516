"""Issue 27 item 4 in a real browser: a monthly report task is named by its work, not by the
recurrence phrase that stands before it ("Định kỳ"), on the review screen and on the task page
the office lands on once the document is registered."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.test_task_flow import login
from nhiemvu.test import Province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LETTER = "\n".join(
    [
        "ỦY BAN NHÂN DÂN TỈNH GIA LAI",
        "Số: 2210/UBND-KGVX",
        "Gia Lai, ngày 01 tháng 12 năm 2026",
        "V/v báo cáo tình hình chuyển đổi số",
        "Giao Sở Khoa học và Công nghệ định kỳ hàng tháng, trước ngày 20, báo cáo Ủy ban nhân "
        "dân tỉnh tình hình chuyển đổi số của tỉnh.",
    ]
)


def test_a_monthly_report_task_is_named_by_its_work(live_server: Any, page: Any) -> None:
    Province()
    login(page, live_server.url, "office")
    page.goto(f"{live_server.url}/van-ban/nhap/")
    page.fill("#id_text", LETTER)
    page.click("#read-document")
    page.wait_for_selector("#import-review")
    row = page.locator("li.proposal[id]").first
    assert (
        "Báo cáo Ủy ban nhân dân tỉnh tình hình chuyển đổi số"
        in row.locator("summary").text_content()
    )
    assert "Định kỳ" not in row.locator("summary").text_content()
    assert page.input_value("#id_task-0-summary").startswith(
        "Báo cáo Ủy ban nhân dân tỉnh tình hình chuyển đổi số"
    )
    assert page.console_errors == []
