"""Every main page, for each role: no console errors, no serious or critical axe violations.

axe-core is vendored from npm into e2e/vendor (tests only). It is run through Playwright's
evaluate, which the page's Content Security Policy does not block, so the page under test keeps
its production CSP: a violation of that policy would show up as a console error here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from e2e.test_task_flow import login, one_task
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.lib import workdays
from nhiemvu.test import register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def audit(page: Any) -> list[str]:
    """The serious and critical accessibility violations on the current page."""
    page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def visit(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_load_state("networkidle")
    problems = audit(page)
    assert problems == [], (url, problems)
    assert page.console_errors == [], (url, page.console_errors)


def test_main_pages_are_accessible_and_quiet(live_server: Any, page: Any) -> None:
    p, task = one_task()
    today = workdays.today()
    register(
        p,
        ref="77/UBND-VX",
        doc_date=today - dt.timedelta(days=90),
        tasks=[
            TaskSpec(
                content="Việc đã quá hạn lâu",
                lead=p.agency_b,
                deadline=today - dt.timedelta(days=45),
            ),
        ],
    )
    base = live_server.url
    page.goto(f"{base}/dang-nhap/")
    assert audit(page) == []
    visit(page, f"{base}/quen-mat-khau/")

    login(page, base, "chairman")
    visit(page, f"{base}/")
    assert page.locator("#chart-ages").is_visible()
    # The "agencies with the most overdue tasks" chart draws its bars (it once showed an empty
    # 0–1 axis while the list under it had figures).
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-top')")
    bars = page.evaluate(
        "() => Chart.getChart('chart-top').getDatasetMeta(0).data.map(b => Math.abs(b.width))"
    )
    assert bars and all(width > 1 for width in bars), bars
    visit(page, f"{base}/bao-cao/")

    login(page, base, "office")
    for path in (
        "/",
        "/nhiem-vu/",
        "/nhiem-vu/?status=overdue&sort=-deadline",
        f"/nhiem-vu/{task.code}/",
        f"/van-ban/{task.directive.code}/",
        f"/co-quan/{p.agency_a.code}/",
        "/van-ban/nhap/",
        "/van-ban/nhap/?thu-cong=1",
        "/thong-bao/",
        "/don-doc/",
        "/bao-cao/nhap-excel/",
    ):
        visit(page, base + path)

    login(page, base, "lead")
    visit(page, f"{base}/")
    visit(page, f"{base}/nhiem-vu/{task.code}/")
    visit(page, f"{base}/mat-khau/")


def test_the_phone_layout_is_accessible_too(browser: Any, live_server: Any) -> None:
    _p, task = one_task()
    context = browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 740})
    phone = context.new_page()
    phone.console_errors = []
    phone.on("console", lambda m: m.type == "error" and phone.console_errors.append(m.text))
    login(phone, live_server.url, "lead")
    for path in ("/", "/nhiem-vu/"):
        visit(phone, f"{live_server.url}{path}")
        # No horizontal scrolling: the page is as wide as the phone.
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
        # Each task is a card: its deadline and status are labelled and on screen.
        card = phone.locator("table.task-rows tbody tr").first
        box = card.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, (path, box)
        assert card.locator("td[data-label]").count() >= 4
    # Every main page an agency uses: accessible (axe) and no wider than the phone.
    for path in (
        f"/nhiem-vu/{task.code}/",
        f"/van-ban/{task.directive.code}/",
        "/bao-cao/",
        "/thong-bao/",
        "/mat-khau/",
    ):
        visit(phone, f"{live_server.url}{path}")
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
    # The one-click "report completion" button is reachable without scrolling sideways.
    visit(phone, f"{live_server.url}/")
    button = phone.locator("a[href*='thao-tac=complete']").first
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375, box
    context.close()
