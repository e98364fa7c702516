"""Sentences that name agencies and sound like duties but give no work to track (issue 26).

Every sentence here was written for this test, in the forms decisions, cables and news items
use; none is copied from the labelled corpus.
"""

from __future__ import annotations

import datetime as dt

import pytest

from nhiemvu.extraction import Task, extract


def tasks(text: str) -> list[Task]:
    return [t for t in extract(text, dt.date(2026, 3, 2)).tasks if t.confident]


@pytest.mark.parametrize(
    "sentence",
    [
        "Giám đốc các sở, ngành chịu trách nhiệm trước Chủ tịch UBND tỉnh về kết quả thực hiện.",
        "Chủ tịch UBND các phường chịu trách nhiệm toàn diện nếu để xảy ra lấn chiếm vỉa hè.",
        "Các trường học chịu hoàn toàn trách nhiệm trước pháp luật về số liệu đã báo cáo.",
        "Sở Y tế chịu trách nhiệm về tính chính xác của các số liệu tổng hợp.",
    ],
)
def test_accountability_is_not_a_task(sentence: str) -> None:
    assert tasks(sentence) == []


@pytest.mark.parametrize(
    "closing",
    [
        "Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc các sở, ngành và Chủ tịch UBND các xã, "
        "phường căn cứ Quyết định thi hành.",
        # A stored text cut at its edge.
        "Điều 3. Chánh Văn phòng UBND tỉnh, Thủ trưởng các cơ quan liên quan chịu trách nhiệm thi "
        "hành Quyế",
    ],
)
def test_a_decisions_closing_article_is_not_a_task(closing: str) -> None:
    text = (
        "QUYẾT ĐỊNH\nĐiều 1. Phê duyệt Kế hoạch chuyển đổi số năm 2026.\n"
        "Điều 2. Giao Sở Khoa học và Công nghệ chủ trì triển khai Kế hoạch, báo cáo kết quả "
        f"trước ngày 15/12/2026.\n{closing}"
    )
    (task,) = tasks(text)
    assert [a.text for a in task.lead] == ["Sở Khoa học và Công nghệ"]


@pytest.mark.parametrize(
    "line",
    ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương.", "Thủ trưởng các sở, ngành; B"],
)
def test_an_addressee_line_names_no_work(line: str) -> None:
    text = f"CÔNG ĐIỆN\nThủ tướng Chính phủ điện:\n- Bộ trưởng Bộ Xây dựng;\n- {line}\n"
    assert not [t for t in extract(text, dt.date(2026, 3, 2)).tasks if t.names_work]


@pytest.mark.parametrize(
    "line",
    [
        "Công điện gửi: Bộ trưởng Bộ Xây dựng; Chủ tịch UBND các tỉnh Sơn La, Lai Châu.",
        "Sở Nội vụ vừa có văn bản gửi UBND các xã, phường về việc kiện toàn bộ phận một cửa.",
        "Công điện số 12/CĐ-TTg ngày 3/3/2026 gửi Bộ trưởng Bộ Y tế và Chủ tịch UBND các tỉnh.",
        "Công điện gửi Bộ trưởng các Bộ: Công an, Y tế nêu rõ: tình hình dịch còn diễn biến phức "
        "tạp.",
    ],
)
def test_a_letter_told_by_whom_it_went_to_is_not_a_task(line: str) -> None:
    from nhiemvu.extraction.patterns import not_a_task

    assert not_a_task(line)  # rejected before the model weighs it, whatever the model learnt
    assert tasks(line) == []


def test_a_report_sent_back_in_writing_is_still_a_task() -> None:
    (task,) = tasks(
        "Sở Tư pháp các tỉnh báo cáo kết quả bằng văn bản gửi về Bộ Tư pháp trước ngày 15/4/2026."
    )
    assert task.deadline == dt.date(2026, 4, 15)


def test_the_quick_check_finds_every_sentence_the_pattern_finds() -> None:
    # not_a_task searches only sentences holding one of its words: on every sentence of the
    # corpus it says what the whole pattern says.
    from nhiemvu.extraction.learning import load_corpus
    from nhiemvu.extraction.patterns import NOT_A_TASK, not_a_task
    from nhiemvu.extraction.segment import sentences
    from nhiemvu.extraction.text import prepare

    found = 0
    for record in load_corpus():
        for sentence in sentences(prepare(record["text"]).norm):
            expected = NOT_A_TASK.search(sentence.text) is not None
            assert not_a_task(sentence.text) == expected, sentence.text
            found += expected
    assert found > 50  # the corpus holds such sentences: the check compares something


@pytest.mark.parametrize(
    "line",
    [
        "Tham dự hội nghị có đồng chí Phó Chủ tịch UBND tỉnh và lãnh đạo các sở, ngành.",
        "Dự và chủ trì Hội nghị có đồng chí Bí thư Đảng ủy xã; lãnh đạo UBND xã.",
        "Thành phần tham dự gồm lãnh đạo các phòng chuyên môn và Trưởng các thôn.",
    ],
)
def test_who_attended_is_not_a_task(line: str) -> None:
    from nhiemvu.extraction.patterns import not_a_task

    assert not_a_task(line)
    assert tasks(line) == []


def test_attending_told_as_a_duty_is_still_read() -> None:
    # Only the news line that lists the attendance is dropped: a duty to attend is work.
    from nhiemvu.extraction.patterns import not_a_task

    assert not not_a_task("Giao Sở Nội vụ cử lãnh đạo dự hội nghị tập huấn ngày 10/4/2026.")
