"""The office turns the founding letter's text into its document and tasks in a few clicks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nhiemvu.assignments.models import Assignment
from nhiemvu.orgs.models import OrgAlias
from nhiemvu.test import Province, make_org

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "nhiemvu" / "extraction" / "tests" / "corpus" / "dev.jsonl"


def test_paste_read_review_save(live_server: Any, page: Any) -> None:
    from e2e.test_task_flow import login

    p = Province()
    make_org("so-tttt", "Sở Thông tin và Truyền thông")
    OrgAlias.objects.create(org=p.wg_org, alias="Tổ công tác của Chủ tịch UBND tỉnh")
    OrgAlias.objects.create(org=p.office_org, alias="Văn phòng UBND tỉnh")
    text = json.loads(CORPUS.read_text(encoding="utf-8").splitlines()[0])["text"]

    login(page, live_server.url, "office")
    page.click("text=Nhập văn bản")
    page.fill("#id_text", text)
    page.fill("#id_doc_date", "2022-03-08")
    page.click("#read-document")
    page.wait_for_selector("#import-review")
    rows = page.locator("li.proposal[id]")
    assert rows.count() == 5
    # A folded row per task: the page stays short; Tab reaches a row and Enter opens it.
    assert page.locator("li.proposal[id] details[open]").count() == 0
    rows.nth(0).locator("summary").focus()
    page.keyboard.press("Enter")
    assert page.locator("#task-1 details").get_attribute("open") is not None
    assert page.is_visible("#id_task-0-content")
    assert page.locator(".directive-text mark").count() == 5
    assert page.input_value("#id_ref") == "1147/UBND-KSTT"
    page.fill("#id_subject", "Về việc nâng cao hiệu lực, hiệu quả thực hiện nhiệm vụ được giao")
    page.click("#save-document")
    page.wait_for_url(f"{live_server.url}/van-ban/**")
    assert "1147/UBND-KSTT" in page.text_content("h1")
    assert Assignment.objects.filter(directive__number=1147).count() >= 5
    assert page.console_errors == []


TEN_TASKS = "\n".join(
    [
        "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH",
        "Số: 512/UBND-TH",
        "Bình Định, ngày 02 tháng 03 năm 2026",
        "V/v triển khai nhiệm vụ trọng tâm quý II năm 2026",
        "Chủ tịch UBND tỉnh yêu cầu:",
        *[
            f"{n}. Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát nội dung thứ {n}, "
            f"báo cáo UBND tỉnh trước ngày {n + 10}/4/2026."
            for n in range(1, 9)
        ],
        "9. Giao các sở, ban, ngành; UBND các huyện, thị xã, thành phố định kỳ hằng tháng, "
        "trước ngày 20 báo cáo UBND tỉnh kết quả thực hiện.",
        "10. Giao Sở Nội vụ tham mưu UBND tỉnh ban hành Quy chế phối hợp.",
    ]
)


def test_a_ten_task_directive_is_reviewed_on_about_two_screens(live_server: Any, page: Any) -> None:
    from e2e.test_task_flow import login

    p = Province()
    make_org("so-noi-vu-2", "Sở Nội vụ")
    del p
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server.url, "office")
    page.goto(f"{live_server.url}/van-ban/nhap/")
    page.fill("#id_text", TEN_TASKS)
    page.click("#read-document")
    page.wait_for_selector("#import-review")
    assert page.locator("li.proposal[id]").count() == 10
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 3 * 768, f"the review screen is {height}px for 10 tasks"
    # The monthly task keeps its day, shown in its folded row and editable when opened.
    monthly = page.locator("li.proposal[id]").nth(8)
    assert "20" in monthly.locator("summary").text_content()
    assert page.input_value("#id_task-8-recurrence_day") == "20"
    # The group is one chip with its count; the deliverable without deadline is flagged.
    assert "không có thời hạn" in page.locator("#task-10 summary").text_content().lower() or (
        page.locator("#task-10 .badge.text-bg-warning").count() >= 1
    )
    page.screenshot(path="/tmp/nhiemvu-review.png", full_page=True)
    assert page.console_errors == []
