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


def pick_organisation(page: Any, select_id: str, typed: str, name: str) -> None:
    """Choose an organisation in the searchable picker as a person does: type, then Enter."""
    box = page.locator(f"#{select_id}-search")
    box.fill(typed)
    page.locator(f"#{select_id} ~ .org-picker [role=option]", has_text=name).first.wait_for()
    box.press("Enter")
    assert name in page.locator(f"#{select_id} ~ .org-picker .org-picker-chips").inner_text()


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


def report_completion(page: Any, ref: str, day: dt.date) -> None:
    open_action(page, "complete")
    page.fill("#action-complete [name=output_ref]", ref)
    page.fill("#action-complete [name=output_date]", day.isoformat())
    page.click("#action-complete button[type=submit]")
    page.wait_for_selector("[data-status=awaiting]")


def test_register_by_hand_report_return_report_confirm(live_server: Any, page: Any) -> None:
    """The whole loop of issue #4: the office registers a document with two tasks for two
    agencies by hand; agency A reports, is returned, reports again, is confirmed; the
    Chairman's completion rate moves from 0 % to 50 %."""
    p = Province()
    today = workdays.today()
    base = live_server.url

    login(page, base, "office")
    page.goto(f"{base}/van-ban/nhap/")
    page.click("#by-hand")
    page.select_option("#id_issuer", p.province.code)
    page.fill("#id_ref", "25/UBND-VX")
    page.fill("#id_doc_date", (today - dt.timedelta(days=30)).isoformat())
    page.fill("#id_subject", "Về việc rà soát thủ tục hành chính")
    page.select_option("#id_assigned_by", label=p.chairman.display_name)
    page.fill("#id_task-0-content", "Sở Khoa học và Công nghệ báo cáo kết quả rà soát")
    pick_organisation(page, "id_task-0-leads", "KH&CN", p.agency_a.name)
    page.select_option("#id_task-0-deliverable_kind", "bao_cao")
    page.fill("#id_task-0-deadline", (today + dt.timedelta(days=21)).isoformat())
    page.click(".js-add-task")
    page.fill("#id_task-1-content", "Sở Tài chính bố trí kinh phí rà soát")
    pick_organisation(page, "id_task-1-leads", "tai chinh", p.agency_b.name)
    page.fill("#id_task-1-deadline", (today - dt.timedelta(days=2)).isoformat())
    page.click("#save-document")
    page.wait_for_url(f"{base}/van-ban/**")
    assert "25/UBND-VX" in page.text_content("h1")
    assert Assignment.objects.count() == 2
    task = Assignment.objects.get(lead=p.agency_a)

    login(page, base, "chairman")
    assert page.text_content("#rate-completion").strip() == "0,00%"  # B's task is overdue

    login(page, base, "lead")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    assert "Sở Khoa học và Công nghệ báo cáo" in page.text_content("h1")
    report_completion(page, "12/BC-SKHCN", today)

    login(page, base, "office")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    open_action(page, "return")
    page.fill("#action-return [name=reason]", "Thiếu số liệu quý I")
    page.once("dialog", lambda d: d.accept())  # destructive: the browser asks first
    page.click("#action-return button[type=submit]")
    page.wait_for_selector("[data-status=returned]")

    login(page, base, "lead")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    assert "Thiếu số liệu quý I" in page.content()
    report_completion(page, "13/BC-SKHCN", today)

    login(page, base, "office")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    open_action(page, "confirm")
    page.click("#action-confirm button[type=submit]")
    page.wait_for_selector("[data-status=done_on_time]")
    task.refresh_from_db()
    assert task.state == WorkState.DONE
    assert page.console_errors == []

    login(page, base, "chairman")
    assert page.text_content("#rate-completion").strip() == "50,00%"  # Vietnamese decimal comma
    assert page.text_content("#rate-on-time").strip() == "50,00%"


def test_an_extension_is_requested_and_approved(live_server: Any, page: Any) -> None:
    _, task = one_task()
    wanted = task.deadline + dt.timedelta(days=30)
    base = live_server.url

    login(page, base, "lead")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    open_action(page, "extend")
    page.fill("#action-extend [name=proposed_deadline]", wanted.strftime("%d/%m/%Y"))
    page.fill("#action-extend [name=reason]", "Chờ số liệu của Bộ")
    page.click("#action-extend button[type=submit]")
    page.wait_for_selector(".alert-success")

    login(page, base, "office")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    open_action(page, "advise")
    page.fill("#action-advise [name=advice]", "Đề nghị đồng ý")
    page.click("#action-advise button[type=submit]")
    page.wait_for_selector(".alert-success")

    login(page, base, "vice")  # the assigning leader decides, from the home page's list
    page.click(f"a[href='/nhiem-vu/{task.code}/']")
    open_action(page, "decide")
    page.select_option("#action-decide [name=approve]", "yes")
    page.click("#action-decide button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert wanted.strftime("%d/%m/%Y") in page.text_content("#task-deadline")
    task.refresh_from_db()
    assert task.deadline == wanted
    assert page.console_errors == []


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


def test_the_list_filters_in_place_and_the_url_follows(live_server: Any, page: Any) -> None:
    p, task = one_task()
    register(
        p,
        ref="8/UBND-VX",
        doc_date=workdays.today() - dt.timedelta(days=40),
        tasks=[
            TaskSpec(
                content="Việc đã quá hạn",
                lead=p.agency_b,
                deadline=workdays.today() - dt.timedelta(days=5),
            )
        ],
    )
    login(page, live_server.url, "office")
    page.goto(f"{live_server.url}/nhiem-vu/")
    assert page.locator("#results tbody a[href^='/nhiem-vu/']").count() == 2
    page.evaluate("document.body.dataset.marker = 'same-page'")  # gone after a full reload
    page.select_option("#id_status", "overdue")
    page.click("#task-filters button[type=submit]")
    page.wait_for_url("**status=overdue**")
    page.wait_for_function(
        "() => document.querySelectorAll(\"#results tbody a[href^='/nhiem-vu/']\").length == 1"
    )
    assert page.evaluate("document.body.dataset.marker") == "same-page"  # htmx, not a reload
    assert task.code not in page.inner_html("#results")
    page.reload()  # the URL alone reproduces the view
    assert page.locator("#results tbody a[href^='/nhiem-vu/']").count() == 1
    assert page.console_errors == []
