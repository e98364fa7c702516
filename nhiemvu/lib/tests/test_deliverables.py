"""The kind a written work product belongs to (lib.deliverables.kind_of): what the review
screen, the importer and the split page file a deliverable under."""

from __future__ import annotations

import pytest

from nhiemvu.lib.deliverables import OTHER, kind_of


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("Báo cáo kết quả rà soát", "bao_cao"),
        ("tờ trình kèm dự thảo quyết định", "to_trinh"),
        ("Phương án sơ tán dân", "phuong_an"),
        ("kịch bản ứng phó bão số 5", "phuong_an"),
        ("Kế hoạch triển khai", "ke_hoach"),
        ("bản đồ hiện trạng", OTHER),
        ("", ""),
    ],
)
def test_a_work_product_is_filed_by_its_words(words: str, kind: str) -> None:
    assert kind_of(words) == kind
