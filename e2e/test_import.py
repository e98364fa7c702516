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
    assert page.locator("fieldset.task-proposal[id]").count() == 5
    assert page.locator(".directive-text mark").count() == 5
    assert page.input_value("#id_ref") == "1147/UBND-KSTT"
    page.fill("#id_subject", "Về việc nâng cao hiệu lực, hiệu quả thực hiện nhiệm vụ được giao")
    page.click("#save-document")
    page.wait_for_url(f"{live_server.url}/van-ban/**")
    assert "1147/UBND-KSTT" in page.text_content("h1")
    assert Assignment.objects.filter(directive__number=1147).count() >= 5
    assert page.console_errors == []
