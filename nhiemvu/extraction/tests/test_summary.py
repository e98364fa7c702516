"""The proposed summary is the work, whatever time phrase stands before or after it (issue 27:
a monthly report task was titled "Định kỳ", cut at its recurrence phrase)."""

from __future__ import annotations

import pytest

from nhiemvu.extraction import extract


def summaries(text: str) -> list[str]:
    return [task.summary for task in extract(text).tasks]


@pytest.mark.parametrize(
    ("sentence", "summary"),
    [
        (
            "Giao Sở Khoa học và Công nghệ định kỳ hàng tháng, trước ngày 20, báo cáo Ủy ban "
            "nhân dân tỉnh tình hình chuyển đổi số của tỉnh.",
            "Báo cáo Ủy ban nhân dân tỉnh tình hình chuyển đổi số của tỉnh",
        ),
        (
            "Giao Sở Nội vụ hằng quý, chậm nhất ngày 15 tháng cuối quý, tổng hợp báo cáo UBND "
            "tỉnh kết quả cải cách hành chính.",
            "Tổng hợp báo cáo UBND tỉnh kết quả cải cách hành chính",
        ),
        (
            "Giao Sở Y tế trước ngày 20/12/2026 hoàn thành đề án phát triển y tế cơ sở.",
            "Hoàn thành đề án phát triển y tế cơ sở",
        ),
        # A deadline after the work still ends the summary, as before.
        (
            "Giao Sở Tài chính chủ trì rà soát các khoản chi, báo cáo UBND tỉnh trước ngày "
            "15/4/2026.",
            "Rà soát các khoản chi, báo cáo UBND tỉnh",
        ),
    ],
)
def test_the_summary_is_the_work_wherever_the_time_phrase_stands(
    sentence: str, summary: str
) -> None:
    assert summaries(sentence) == [summary]


def test_a_leading_time_phrase_with_nothing_after_it_is_kept() -> None:
    from nhiemvu.extraction.results import proposed_summary

    assert proposed_summary("định kỳ hàng tháng", "hàng tháng").startswith("Định kỳ")
