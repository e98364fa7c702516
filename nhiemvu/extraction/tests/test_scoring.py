"""The scorer compares agencies as the province's judge does: its one-word abbreviations are
the agency written out, an abbreviation written across spaces ("NN & PTNT") is not."""

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


def test_a_one_word_abbreviation_is_the_agency_written_out() -> None:
    assert _lead_score("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT") == 1.0
    assert _lead_score("Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT") == 1.0
    assert _lead_score("Ủy ban nhân dân huyện", "UBND huyện") == 1.0
    assert _lead_score("Sở Nông nghiệp và Phát triển nông thôn", "Sở Y tế") == 0.0


def test_an_abbreviation_written_across_spaces_is_not_the_agency_for_the_judge() -> None:
    full = "Sở Nông nghiệp và Phát triển nông thôn"
    assert _lead_score(full, "Sở NN & PTNT") == 0.0
    assert _lead_score(full, "Sở Nông nghiệp & PTNT") == 0.0


def test_a_title_in_front_and_a_plural_are_the_agency() -> None:
    assert _lead_score("Sở Y tế", "Giám đốc Sở Y tế") == 1.0
    assert _lead_score("Ủy ban nhân dân các huyện", "UBND huyện") == 1.0
