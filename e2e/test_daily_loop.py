"""What each role sees in the daily loop, in the browser: the output document opens for whoever
confirms it; a return reaches the agency with its reason; the head passes the task on inside
the agency and the officer finds it on their home; an unknown page says so in Vietnamese."""

from __future__ import annotations

import datetime as dt
from typing import Any

from e2e.test_task_flow import login, one_task, open_action
from nhiemvu.lib import workdays

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_sent_document_opens_and_the_return_reaches_the_agency(
    live_server: Any, page: Any
) -> None:
    _p, task = one_task()
    base = live_server.url
    login(page, base, "lead")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    open_action(page, "complete")
    page.fill("#action-complete [name=output_ref]", "125/BC-KHCN")
    page.fill("#action-complete [name=output_date]", workdays.today().strftime("%d/%m/%Y"))
    page.set_input_files(
        "#action-complete [name=file]",
        files=[{"name": "bao-cao.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.click("#action-complete button[type=submit]")
    page.wait_for_selector("[data-status=awaiting]")

    # The Working Group opens what it is asked to confirm.
    login(page, base, "wg")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    link = page.locator("#files ~ div a", has_text="bao-cao.pdf").first
    response = page.request.get(base + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.body() == PDF
    assert "125/BC-KHCN" in page.locator("#files ~ div").inner_text()
    open_action(page, "return")
    page.fill("#action-return [name=reason]", "Thiếu số liệu quý I")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#action-return button[type=submit]")
    page.wait_for_selector("[data-status=returned]")

    # The agency is told, with the reason; the report's number stays on the timeline.
    login(page, base, "lead")
    assert page.locator("#unread-count").inner_text().strip() != ""
    page.click("#bell")
    notices = page.locator("main").inner_text()
    assert "bị trả lại" in notices
    page.get_by_role("link", name="Báo cáo của cơ quan bị trả lại").first.click()
    timeline = page.locator(".timeline").first.inner_text()
    assert "125/BC-KHCN" in timeline and "Thiếu số liệu quý I" in timeline


def test_the_head_passes_a_task_on_and_the_officer_finds_it(live_server: Any, page: Any) -> None:
    _p, task = one_task()
    base = live_server.url
    internal = workdays.today() + dt.timedelta(days=7)
    login(page, base, "head")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    open_action(page, "delegate")
    page.select_option("#action-delegate [name=assignee]", "lead")
    page.fill("#action-delegate [name=division]", "Phòng Kế hoạch")
    page.fill("#action-delegate [name=internal_deadline]", internal.strftime("%d/%m/%Y"))
    page.click("#action-delegate button[type=submit]")
    page.wait_for_selector("#inside [data-internal-deadline]")

    login(page, base, "lead")
    section = page.locator("#passed-on").inner_text()
    assert task.summary[:20] in section and internal.strftime("%d/%m/%Y") in section

    # The province does not see what happens inside the agency.
    login(page, base, "office")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    assert page.locator("#inside").count() == 0
    assert internal.strftime("%d/%m/%Y") not in page.locator("main").inner_text()


def test_an_unknown_page_says_so_in_vietnamese_with_a_way_home(live_server: Any, page: Any) -> None:
    one_task()
    login(page, live_server.url, "lead")
    response = page.goto(f"{live_server.url}/khong-co-trang-nay/")
    assert response is not None and response.status == 404
    assert "Không tìm thấy" in page.locator("main").inner_text()
    page.get_by_role("link", name="Về trang chủ").click()
    page.wait_for_url(f"{live_server.url}/")


def test_the_agency_home_lists_its_work_in_the_order_it_acts(live_server: Any, page: Any) -> None:
    p, task = one_task()
    from nhiemvu.assignments.models import Assignment
    from nhiemvu.assignments.services import TaskSpec, assignment_accept
    from nhiemvu.test import register

    today = workdays.today()
    register(
        p,
        ref="66/UBND-KT",
        doc_date=today - dt.timedelta(days=20),
        tasks=[
            TaskSpec(
                content="Việc đã quá hạn", lead=p.agency_a, deadline=today - dt.timedelta(days=2)
            )
        ],
    )
    overdue = Assignment.objects.get(content="Việc đã quá hạn")
    assignment_accept(actor=p.lead_officer, task=overdue)
    login(page, live_server.url, "lead")
    headings = [h.inner_text() for h in page.locator("main section h2").all()]
    titles = [h.split(" ")[0] for h in headings]
    assert titles[:5] == ["Nhiệm", "Thực", "Quá", "Sắp", "Các"], headings
    # The new task (far from its deadline) is under "to accept", the overdue one under overdue.
    assert task.summary[:20] in page.locator("#new").inner_text()
    assert "Việc đã quá hạn" in page.locator("#overdue").inner_text()
    assert page.locator("#new [data-count=new]").inner_text() == "1"


def test_small_things_read_as_a_civil_servant_expects(live_server: Any, page: Any) -> None:
    one_task()
    login(page, live_server.url, "office")
    page.goto(f"{live_server.url}/bao-cao/")
    options = page.locator("select[name=period] option").all_inner_texts()
    assert any(text.startswith("Quý ") for text in options), options[:5]
    assert any(text.startswith("Tháng ") for text in options)
    assert any(text.startswith("6 tháng") for text in options)
