from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from nhiemvu.lib.vntext import clean_line, fold, normalize


def test_fold_drops_diacritics_and_d_stroke() -> None:
    assert fold("Sở Thông tin và Truyền thông") == "so thong tin va truyen thong"
    assert fold("Đắk Lắk") == "dak lak"
    assert fold("ỦY BAN NHÂN DÂN") == "uy ban nhan dan"


def test_normalize_fixes_eth_dashes_and_nfd() -> None:
    nfd = unicodedata.normalize("NFD", "Quyết định")
    assert normalize(nfd) == "Quyết định"
    assert normalize("Q\u00d0-UBND") == "QĐ-UBND"
    assert normalize("UBND\u2013KSTT") == "UBND-KSTT"
    assert clean_line("  Sở   Y tế\u00a0 ") == "Sở Y tế"


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese(text: str) -> None:
    assert fold(fold(text)) == fold(text)
