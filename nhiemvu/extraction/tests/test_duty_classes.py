"""A duty told of its subject, without "giao X" (duties.py): the passive assignment and the
subject-first duty. Every sentence is written for this test, in the forms letters and news
use; none is copied from the labelled corpus."""

from __future__ import annotations

import pytest

from nhiemvu.extraction import agencies as ag
from nhiemvu.extraction.asked import lead_of
from nhiemvu.extraction.candidates import Candidate
from nhiemvu.extraction.duties import duty_of, features
from nhiemvu.extraction.header import Header

GAZETTEER = ag.Gazetteer([])


def _lead(sentence: str) -> list[str]:
    candidate = Candidate(0, len(sentence), 0, None)
    lead, _, _ = lead_of(sentence, candidate, [], Header(), GAZETTEER)
    return [m.text for m in lead]


@pytest.mark.parametrize(
    ("sentence", "kind", "lead"),
    [
        ("Sở Công Thương được giao chủ trì kiểm tra giá phân bón.", "passive", "Sở Công Thương"),
        (
            "Về giáo dục, các trường học được yêu cầu rà soát sĩ số trước ngày 10.",
            "passive",
            "các trường học",
        ),
        ("Huyện cần sớm hoàn thành việc đền bù cho các hộ dân.", "modal", "Huyện"),
        (
            "Bộ trưởng nhấn mạnh, Lâm Đồng cần tiếp tục phát triển du lịch xanh.",
            "modal",
            "Lâm Đồng",
        ),
        ("Thôn, tổ dân phố phải tổ chức họp dân ngay trong tuần.", "modal", "Thôn, tổ dân phố"),
        # The work in a verb the verb list does not hold.
        ("Các phường phải hoàn tất việc kê khai trước ngày 15.", "modal", "Các phường"),
        (
            "Tổ quản lý chợ có nhiệm vụ kiểm tra nguồn gốc hàng hóa hằng ngày.",
            "nhiem_vu",
            "Tổ quản lý chợ",
        ),
        (
            "Thủ trưởng các trạm y tế chịu trách nhiệm báo cáo số ca bệnh mới.",
            "trach_nhiem",
            "các trạm y tế",
        ),
    ],
)
def test_a_duty_told_of_its_subject_is_read_with_its_subject_as_lead(
    sentence: str, kind: str, lead: str
) -> None:
    found = features(sentence, 0, len(sentence), GAZETTEER)
    assert "duty_work" in found
    assert f"duty_work:{kind}" in found
    assert _lead(sentence) == [lead]


@pytest.mark.parametrize(
    "sentence",
    [
        # Accountability, not work: no verb of work follows the duty.
        "Giám đốc các sở chịu trách nhiệm trước Chủ tịch UBND tỉnh về kết quả thực hiện.",
        "Thủ trưởng các đơn vị chịu trách nhiệm hoàn toàn về số liệu báo cáo.",
        # "cần thiết" is no "cần".
        "Trường hợp cần thiết, Sở Y tế đề xuất bổ sung kinh phí.",
        # What must, not who: a matter as subject.
        "Việc tổ chức lễ hội phải bảo đảm an toàn, tiết kiệm.",
        # The one asked follows the assigning verb; the rules read it so.
        "Chủ tịch UBND tỉnh yêu cầu các huyện phải rà soát lại quỹ đất.",
        # A condition, not a subject.
        "Khi có mưa lớn, đơn vị phải báo cáo ngay.",
        # "Cần Thơ" is a city, not "cần".
        "Sở Xây dựng TP. Cần Thơ tổ chức hội nghị tổng kết năm.",
    ],
)
def test_no_duty_of_a_subject_where_none_is_told(sentence: str) -> None:
    assert "duty_work" not in features(sentence, 0, len(sentence), GAZETTEER)


def test_a_long_framing_clause_before_the_passive_assignment() -> None:
    sentence = (
        "Theo kết luận của Phó Chủ tịch UBND tỉnh tại cuộc họp về tình hình giải ngân vốn đầu tư "
        "công các tháng đầu năm trên địa bàn tỉnh, Sở Tài chính được giao nhiệm vụ tổng hợp "
        "danh mục dự án chậm tiến độ."
    )
    duty = duty_of(sentence, 0, len(sentence), GAZETTEER)
    assert duty is not None and duty.work
    assert sentence[duty.subject_start : duty.subject_end] == "Sở Tài chính"
