"""Late work explained, in a real browser (issue 18): the lead officer explains an overdue task
with a cause and the agency it waited for; the office returns it once; the agency explains
again; the Chairman reads the cause on the report page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from e2e.test_task_flow import login, open_action, pick_organisation
from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.services import TaskSpec, delay_causes_ensure
from nhiemvu.lib import workdays
from nhiemvu.test import Province, register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def explain(page: Any, base: str, code: str, text: str) -> None:
    login(page, base, "lead")
    page.goto(f"{base}/nhiem-vu/{code}/")
    open_action(page, "explain")
    page.select_option("#action-explain [name=cause]", "cho-co-quan-khac")
    pick_organisation(page, "id_explain_other_org", "tai chinh", "Sở Tài chính")
    page.fill("#action-explain [name=explanation]", text)
    page.fill("#action-explain [name=remedy]", "Gửi xin ý kiến sớm hơn")
    page.click("#action-explain button[type=submit]")
    page.wait_for_selector(f"text={text}")


def test_an_overdue_task_is_explained_and_the_chairman_reads_why(
    live_server: Any, page: Any
) -> None:
    # Browser tests empty the database between tests, the migration's seeded causes with it.
    delay_causes_ensure()
    p = Province()
    today = workdays.today()
    register(
        p,
        doc_date=today - dt.timedelta(days=40),
        tasks=[
            TaskSpec(
                content="Báo cáo tình hình giải ngân",
                lead=p.agency_a,
                deadline=workdays.add_working_days(today, -7),
            )
        ],
    )
    task = Assignment.objects.get()
    base = live_server.url

    explain(page, base, task.code, "Chờ số liệu của Sở Tài chính")
    login(page, base, "office")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    open_action(page, "return_explanation")
    page.fill("#action-return_explanation [name=reason]", "Chưa nêu thời hạn mới")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#action-return_explanation button[type=submit]")
    page.wait_for_selector("text=Chưa nêu thời hạn mới")

    explain(page, base, task.code, "Sở Tài chính gửi số liệu chậm hai tuần")
    login(page, base, "chairman")
    page.goto(f"{base}/bao-cao/")
    section = page.locator("#causes").inner_text()
    assert "Chờ ý kiến, số liệu của cơ quan khác" in section
    assert "Sở Khoa học và Công nghệ chờ Sở Tài chính: 1" in section
    assert "Sở Tài chính gửi số liệu chậm hai tuần" in section
    assert page.console_errors == []
