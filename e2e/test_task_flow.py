"""The daily loop in a real browser: report, return, report again, confirm; outsiders refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nhiemvu.assignments.models import Assignment, WorkState
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.lib import workdays
from nhiemvu.test import PASSWORD, Province, register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def one_task() -> tuple[Province, Assignment]:
    """Agency A leads one task with a deliverable, due in three weeks; B coordinates."""
    p = Province()
    today = workdays.today()
    register(
        p,
        doc_date=today - dt.timedelta(days=3),
        tasks=[
            TaskSpec(
                content="Báo cáo kết quả rà soát",
                lead=p.agency_a,
                coordinators=[p.agency_b],
                deliverable_kind="bao_cao",
                deadline=today + dt.timedelta(days=21),
            )
        ],
    )
    return p, Assignment.objects.get()


def open_action(page: Any, name: str) -> None:
    page.click(f"#action-{name} summary")


def test_report_return_report_confirm(live_server: Any, page: Any) -> None:
    _, task = one_task()
    today = workdays.today()
    base = live_server.url

    login(page, base, "lead")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    assert "Báo cáo kết quả" in page.text_content("h1")
    open_action(page, "complete")
    page.fill("#action-complete [name=output_ref]", "12/BC-SKHCN")
    page.fill("#action-complete [name=output_date]", today.isoformat())
    page.click("#action-complete button[type=submit]")
    page.wait_for_selector("[data-status=awaiting]")

    login(page, base, "office")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    open_action(page, "return")
    page.fill("#action-return [name=reason]", "Thiếu số liệu quý I")
    page.once("dialog", lambda d: d.accept())  # destructive: the browser asks first
    page.click("#action-return button[type=submit]")
    page.wait_for_selector("[data-status=redo]")

    login(page, base, "lead")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    assert "Thiếu số liệu quý I" in page.content()
    open_action(page, "complete")
    page.fill("#action-complete [name=output_ref]", "13/BC-SKHCN")
    page.fill("#action-complete [name=output_date]", today.isoformat())
    page.click("#action-complete button[type=submit]")
    page.wait_for_selector("[data-status=awaiting]")

    login(page, base, "office")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    open_action(page, "confirm")
    page.click("#action-confirm button[type=submit]")
    page.wait_for_selector("[data-status=done_on_time]")
    task.refresh_from_db()
    assert task.state == WorkState.DONE
    assert page.console_errors == []

    login(page, base, "chairman")
    assert page.text_content("#rate-completion").strip() == "100,00%"  # Vietnamese decimal comma


def test_an_outsider_cannot_open_the_task_by_url(live_server: Any, page: Any) -> None:
    _, task = one_task()
    login(page, live_server.url, "outsider")
    response = page.goto(f"{live_server.url}/nhiem-vu/{task.code}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/nhiem-vu/")
    assert task.code not in page.content()


def test_search_without_diacritics(live_server: Any, page: Any) -> None:
    _, task = one_task()
    login(page, live_server.url, "office")
    page.fill("#global-q", "bao cao ket qua")
    page.press("#global-q", "Enter")
    page.wait_for_selector(f"a[href='/nhiem-vu/{task.code}/']")
    assert page.console_errors == []
