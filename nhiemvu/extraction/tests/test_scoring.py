"""The scorer reads an agency written with the abbreviations letters use as the agency."""

from __future__ import annotations

from nhiemvu.extraction.scoring import score

TEXT = "Giao Sở NN & PTNT rà soát đê điều, báo cáo trước ngày 15/4/2026."


def _lead_score(gold: str, found: str) -> float:
    record = {
        "id": "r1",
        "text": TEXT,
        "tasks": [{"evidence": TEXT, "assignees_lead": [gold], "deadline": "2026-04-15"}],
    }
    predicted = [{"evidence": TEXT, "assignees_lead": [found], "deadline": "2026-04-15"}]
    return score([record], {"r1": predicted}).summary()["lead"]


def test_a_lead_written_with_ptnt_is_the_same_department() -> None:
    full = "Sở Nông nghiệp và Phát triển nông thôn"
    assert _lead_score(full, "Sở NN & PTNT") == 1.0
    assert _lead_score(full, "Sở Nông nghiệp & PTNT") == 1.0
    assert _lead_score(full, "Sở Nông nghiệp và PTNT") == 1.0
    assert _lead_score(full, "Sở Y tế") == 0.0


def test_a_district_culture_centre_written_vhtt_tt_is_the_same_centre() -> None:
    full = "Trung tâm Văn hóa Thông tin - Thể thao huyện"
    assert _lead_score(full, "Trung tâm VHTT - TT huyện") == 1.0
    assert _lead_score(full, "TTVHTT - TT huyện") == 1.0
