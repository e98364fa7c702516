"""A task the reader missed costs one action: select its sentence in the text pane and it
becomes a new proposal row with the fields the reader can fill (issue 26 item 4)."""

from __future__ import annotations

from typing import Any

import pytest

from nhiemvu.assignments.models import Assignment
from nhiemvu.test import Province, make_org

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A sentence the reader passes over (a subject-first request without an assigning verb; the
# reader learnt "Đề nghị … lưu tâm …" in issue 26, so that one is proposed now).
MISSED = "Sở Tài chính lưu tâm rà soát kinh phí các dự án, gửi UBND tỉnh trước ngày 30/4/2026."
TEXT = "\n".join(
    [
        "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH",
        "Số: 513/UBND-TH",
        "Bình Định, ngày 02 tháng 03 năm 2026",
        "V/v rà soát kinh phí các dự án",
        "Giao Sở Nội vụ rà soát biên chế, báo cáo UBND tỉnh trước ngày 15/4/2026.",
        MISSED,
    ]
)

SELECT = """(sentence) => {
  const pane = document.querySelector('.directive-text');
  const walker = document.createTreeWalker(pane, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.indexOf(sentence);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + sentence.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    pane.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    return true;
  }
  return false;
}"""


def test_selecting_a_missed_sentence_adds_it_as_a_filled_proposal(
    live_server: Any, page: Any
) -> None:
    from e2e.test_task_flow import login

    p = Province()
    make_org("so-noi-vu-2", "Sở Nội vụ")  # the lead of the task the reader did find
    login(page, live_server.url, "office")
    page.goto(f"{live_server.url}/van-ban/nhap/")
    page.fill("#id_text", TEXT)
    page.fill("#id_doc_date", "2026-03-02")
    page.click("#read-document")
    page.wait_for_selector("#import-review")
    before = int(page.input_value("#id_task-TOTAL_FORMS"))
    assert page.evaluate(SELECT, MISSED)  # the one action: the sentence selected in the pane
    page.wait_for_selector(f"[name='task-{before}-content']", state="attached")
    page.wait_for_function(
        f"() => document.querySelector(\"[name='task-{before}-deadline']\").value !== ''"
    )
    assert int(page.input_value("#id_task-TOTAL_FORMS")) == before + 1
    assert page.input_value(f"[name='task-{before}-content']") == MISSED
    assert page.input_value(f"[name='task-{before}-deadline']") == "2026-04-30"
    leads = page.eval_on_selector(
        f"[name='task-{before}-leads']", "s => [...s.selectedOptions].map(o => o.value)"
    )
    assert leads == [p.agency_b.code]  # Sở Tài chính
    assert page.is_checked(f"[name='task-{before}-keep']")
    assert page.text_content("#sentence-status")
    page.fill("#id_subject", "Về việc rà soát kinh phí các dự án")
    ticked = page.locator("input[type=checkbox][name$='-keep']:checked").count()
    page.click("#save-document")
    page.wait_for_url(f"{live_server.url}/van-ban/**")
    # Every ticked row is registered, the added one with the lead it was given.
    registered = Assignment.objects.filter(directive__number=513)
    assert registered.count() == ticked
    assert registered.filter(content=MISSED, lead=p.agency_b).exists()
    assert page.console_errors == []
