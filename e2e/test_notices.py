"""A notice says why, in a real browser (issue 27 item 2): the Working Group returns a report
with its reason; the agency's officer opens the bell and reads the reason under the task, the
task's notices grouped, newest first, and marks them read at once."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.test_task_flow import login, one_task, open_action, report_completion
from nhiemvu.lib import workdays

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_officer_reads_why_the_report_was_returned(live_server: Any, page: Any) -> None:
    _p, task = one_task()
    base = live_server.url
    login(page, base, "lead")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    report_completion(page, "12/BC-SKHCN", workdays.today())

    login(page, base, "wg")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    open_action(page, "return")
    page.fill("#action-return [name=reason]", "Thiếu số liệu quý I của 3 xã")
    page.once("dialog", lambda d: d.accept())
    page.click("#action-return button[type=submit]")
    page.wait_for_selector("[data-status=returned]")

    login(page, base, "lead")
    page.click("#bell")
    page.wait_for_url(f"{base}/thong-bao/")
    groups = page.locator("#notice-groups > li")
    assert groups.count() == 1  # the new task and its return: one task, one group
    group = groups.first
    assert "Báo cáo kết quả rà soát" in group.locator("strong").inner_text()
    newest = group.locator("[data-newest]").inner_text()
    assert "trả lại" in newest
    assert (
        "Lý do: Thiếu số liệu quý I của 3 xã" in group.locator("[data-detail]").first.inner_text()
    )
    assert "2 chưa đọc" in group.locator("[data-unread]").inner_text()
    group.get_by_role("button", name="Đánh dấu đã đọc").click()
    page.wait_for_url(f"{base}/thong-bao/")
    assert page.locator("#notice-groups [data-unread]").count() == 0
    assert page.locator("#unread-count").count() == 0  # the bell is quiet
    assert page.console_errors == []
