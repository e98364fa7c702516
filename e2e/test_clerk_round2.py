"""Issue 27 items 3, 5 and 6 in a real browser: a received task keeps the issuer's code from
the letter to the report upward; labels and icons a clerk understands; a desktop header on one
line at 1280 px; the report page answers before its trend chart is drawn."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from e2e.test_task_flow import login, pick_organisation
from nhiemvu.assignments import services
from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.tests.test_files import docx_bytes
from nhiemvu.directives.services import directive_attach
from nhiemvu.lib import workdays
from nhiemvu.orgs.models import Organisation, OrgKind
from nhiemvu.test import Province, make_org, register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _letter(today: dt.date) -> str:
    deadline = today + dt.timedelta(days=23)
    return "\n".join(
        [
            "THỦ TƯỚNG CHÍNH PHỦ",
            "Số: 1092/TTg-KTTH",
            f"Hà Nội, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
            f"V/v đẩy nhanh giải ngân vốn đầu tư công năm {today.year}",
            "Thủ tướng Chính phủ yêu cầu:",
            "1. Giao Ủy ban nhân dân tỉnh chủ trì đẩy nhanh tiến độ giải ngân vốn đầu tư công; báo "
            "cáo kết quả thực hiện về Văn phòng Chính phủ trước ngày "
            f"{deadline:%d/%m/%Y} (nhiệm vụ NV-2026-92).",
        ]
    )


def due_soon() -> services.TaskSpec:
    return services.TaskSpec(
        content="Báo cáo kết quả rà soát",
        lead=Organisation.objects.get(code="so-khcn"),
        deadline=workdays.today() + dt.timedelta(days=20),
    )


def test_a_received_task_keeps_the_issuers_code_from_the_letter_to_the_report_upward(
    live_server: Any, page: Any
) -> None:
    p = Province()
    make_org("thu-tuong", "Thủ tướng Chính phủ", OrgKind.GOVERNMENT)
    base = live_server.url
    today = workdays.today()

    login(page, base, "office")
    page.click("text=Nhập văn bản")
    page.fill("#id_text", _letter(today))
    page.click("#read-document")
    page.wait_for_selector("#import-review")
    # A new document is registered, and the button says so.
    assert page.inner_text("#save-document") == "Đăng ký văn bản và các nhiệm vụ"
    # The code the letter writes is read into its own field.
    assert page.input_value("#id_task-0-external_code") == "NV-2026-92"
    page.locator("#task-1 summary").click()
    chips = page.locator("#id_task-0-leads ~ .org-picker .org-picker-chips").inner_text()
    if "UBND tỉnh" not in chips:
        pick_organisation(page, "id_task-0-leads", "ubnd tinh", "UBND tỉnh")
    if not page.is_checked("#id_task-0-keep"):
        page.check("#id_task-0-keep")
    if page.input_value("#id_issuer") != "thu-tuong":
        page.select_option("#id_issuer", "thu-tuong")
    page.click("#save-document")
    page.wait_for_url(f"{base}/van-ban/**")
    task = Assignment.objects.get(directive__issuer__code="thu-tuong")
    assert (task.received, task.external_code) == (True, "NV-2026-92")

    # The task page shows the code, and the office corrects it there.
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    assert "NV-2026-92" in page.inner_text("#from-above-title")
    page.fill("#id_external_code", "NV-2026-93")
    page.click("#received-code button[type=submit]")
    page.wait_for_load_state()
    assert "Đã lưu mã nhiệm vụ của cơ quan giao." in page.content()
    assert "NV-2026-93" in page.inner_text("#from-above-title")

    # The sub-task table names the agency in full where its short name stood.
    services.subtask_create(
        actor=p.office,
        upper=task,
        spec=services.TaskSpec(
            content="Phần việc của Sở Khoa học và Công nghệ",
            lead=p.agency_a,
            deadline=today + dt.timedelta(days=20),
        ),
    )
    page.reload()
    subtasks = page.inner_text("#subtasks")
    assert "Sở Khoa học và Công nghệ" in subtasks and "Sở KH&CN" not in subtasks

    # Every report upward prints it.
    xlsx = page.request.get(f"{base}/nhiem-vu/{task.code}/bao-cao-len.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.body())).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "Mã nhiệm vụ của cơ quan giao: NV-2026-93" in cells
    docx = page.request.get(f"{base}/nhiem-vu/{task.code}/bao-cao-len.docx")
    assert docx.ok
    assert page.console_errors == []


def test_the_attachment_icon_is_drawn_and_the_header_stays_on_one_line(
    live_server: Any, page: Any
) -> None:
    p = Province()
    base = live_server.url
    directive = register(p, doc_date=workdays.today() - dt.timedelta(days=3), tasks=[due_soon()])
    directive_attach(
        actor=p.office,
        directive=directive,
        upload=SimpleUploadedFile("cong-van-100.docx", docx_bytes()),
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, base, "office")

    # The office's whole menu, the search, the bell and the account fit one line at 1280 px.
    items = page.locator("#nav .nav-link")
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
    assert items.count() >= 7 and len(tops) == 1, tops
    heights = [items.nth(i).bounding_box()["height"] for i in range(items.count())]
    assert max(heights) < 45, heights  # no item broken onto two lines
    account = page.locator("#account-menu").bounding_box()
    assert account["x"] + account["width"] <= 1280
    assert page.locator("nav.navbar").bounding_box()["height"] < 70
    page.screenshot(
        path="/tmp/e2e-header-1280.png", clip={"x": 0, "y": 0, "width": 1280, "height": 80}
    )
    # Who is logged in and the way out, behind the name.
    page.click("#account-menu")
    assert page.is_visible("text=Đăng xuất")

    # The file's icon is a drawn picture, not a character the fonts may lack.
    page.goto(f"{base}/van-ban/{directive.code}/")
    line = page.locator("dd", has_text="cong-van-100.docx")
    assert "📎" not in line.inner_text()
    icon = line.locator("img.file-icon")
    assert icon.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.console_errors == []


def test_the_report_page_answers_then_draws_its_trend(live_server: Any, page: Any) -> None:
    p = Province()
    register(p, doc_date=workdays.today() - dt.timedelta(days=3), tasks=[due_soon()])
    base = live_server.url
    login(page, base, "chairman")
    with page.expect_response(lambda r: "/bao-cao/xu-huong/" in r.url) as trend:
        page.goto(f"{base}/bao-cao/")
    assert trend.value.ok
    assert len(trend.value.json()["labels"]) == 6
    page.wait_for_selector("#trend-chart[data-loaded=true]")
    assert page.console_errors == []
