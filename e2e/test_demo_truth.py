"""The demo tells the truth, in a browser (issue 27 item 7): the former Sở LĐ-TB&XH's task,
carried to Sở Nội vụ by the 2025 reforms, shows its 2022 delay explained by Sở LĐ-TB&XH, the
agency that held it then."""

from __future__ import annotations

from typing import Any

import pytest

from nhiemvu.assignments.models import Assignment
from nhiemvu.web import demo
from nhiemvu.web.demo.steps import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_2022_explanation_is_signed_by_the_agency_that_held_the_task_then(
    live_server: Any, page: Any
) -> None:
    demo.load(documents=2)
    task = Assignment.objects.get(directive__ref="1147/UBND-KSTT", original_lead__code="so-ldtbxh")
    assert task.lead.code == "so-noi-vu"  # carried by the 2025 reforms

    base = live_server.url
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", "vanphong")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/nhiem-vu/{task.code}/")
    explained = page.locator("ol.timeline > li", has_text="Giải trình việc chậm").filter(
        has_text="/2022"
    )
    assert explained.count() == 1
    line = explained.inner_text()
    assert "LĐ-TB&XH" in line or "Lao động - Thương binh và Xã hội" in line, line
    assert "Sở Nội vụ" not in line and "SNV" not in line, line
    assert page.console_errors == []
