"""The organisation picker as a clerk uses it: type an abbreviation or part of a name, pick
with the keyboard, see the chosen one as a chip, filter; choose a whole group on the review
screen and see how many it holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from e2e.test_task_flow import login, one_task
from nhiemvu.assignments.services import TaskSpec
from nhiemvu.lib import workdays
from nhiemvu.test import register


def test_typing_an_abbreviation_filters_the_task_list(live_server: Any, page: Any) -> None:
    p, task = one_task()
    register(
        p,
        ref="88/UBND-KT",
        doc_date=workdays.today() - dt.timedelta(days=2),
        tasks=[TaskSpec(content="Việc của Sở Tài chính", lead=p.agency_b)],
    )
    login(page, live_server.url, "office")
    page.goto(f"{live_server.url}/nhiem-vu/")
    box = page.get_by_role("combobox", name="Cơ quan, đơn vị")
    box.fill("STC")
    page.get_by_role("option", name="Sở Tài chính").wait_for()
    box.press("Enter")
    chip = page.locator(".org-picker-chips li")
    assert chip.inner_text().strip() == "Sở Tài chính"
    page.select_option("#id_role", "lead")
    page.click("#task-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    results = page.locator("#results").inner_text()
    assert "Việc của Sở Tài chính" in results
    assert task.summary[:20] not in results
    # The chip's remove button clears the choice.
    page.get_by_role("button", name="Bỏ Sở Tài chính").click()
    assert page.locator(".org-picker-chips li").count() == 0
    assert page.console_errors == []


def test_a_name_typed_without_diacritics_finds_the_agency(live_server: Any, page: Any) -> None:
    one_task()
    login(page, live_server.url, "office")
    page.goto(f"{live_server.url}/nhiem-vu/")
    box = page.get_by_role("combobox", name="Cơ quan, đơn vị")
    box.fill("khoa hoc")
    option = page.locator(".org-picker-list [role=option]").first
    option.wait_for()
    assert "Sở Khoa học và Công nghệ" in option.inner_text()
    option.click()
    assert "Sở Khoa học và Công nghệ" in page.locator(".org-picker-chips").inner_text()
