from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhiemvu.lib import docref
from nhiemvu.lib.docref import CONG_VAN, LEGAL, DocRefError, parse


@pytest.mark.parametrize(
    ("raw", "number", "year", "symbol", "doc_type", "shown"),
    [
        ("1147/UBND-KSTT", 1147, None, "UBND-KSTT", CONG_VAN, "1147/UBND-KSTT"),
        ("Số: 1147/UBND-KSTT", 1147, None, "UBND-KSTT", CONG_VAN, "1147/UBND-KSTT"),
        ("4544/UBND-VX", 4544, None, "UBND-VX", CONG_VAN, "4544/UBND-VX"),
        ("123/VPCP-KTTH", 123, None, "VPCP-KTTH", CONG_VAN, "123/VPCP-KTTH"),
        ("08/2017/QĐ-UBND", 8, 2017, "QĐ-UBND", "QĐ", "08/2017/QĐ-UBND"),
        ("09/2019/NĐ-CP", 9, 2019, "NĐ-CP", "NĐ", "09/2019/NĐ-CP"),
        ("42/2014/QĐ-TTg", 42, 2014, "QĐ-TTg", "QĐ", "42/2014/QĐ-TTg"),
        ("60-NQ/TW", 60, None, "NQ/TW", "NQ", "60-NQ/TW"),
        ("01/HNVB-VPCP", 1, None, "HNVB-VPCP", CONG_VAN, "01/HNVB-VPCP"),
        ("1298/QĐ-UBND-HC", 1298, None, "QĐ-UBND-HC", "QĐ", "1298/QĐ-UBND-HC"),
        ("2231/SNV-CCHC&PC", 2231, None, "SNV-CCHC&PC", CONG_VAN, "2231/SNV-CCHC&PC"),
        ("8601/VPCP-V.I", 8601, None, "VPCP-V.I", CONG_VAN, "8601/VPCP-V.I"),
        ("72/2025/QH15", 72, 2025, "QH15", LEGAL, "72/2025/QH15"),
        ("12/CTr-UBND", 12, None, "CTr-UBND", "CTr", "12/CTr-UBND"),
        ("5/QyĐ-UBND", 5, None, "QyĐ-UBND", "QyĐ", "05/QyĐ-UBND"),
        ("15/TTr-SKHCN", 15, None, "TTr-SKHCN", "TTr", "15/TTr-SKHCN"),
        ("03/2020/TTLT-BTC-BNV", 3, 2020, "TTLT-BTC-BNV", "TTLT", "03/2020/TTLT-BTC-BNV"),
        ("102/KH-UBND", 102, None, "KH-UBND", "KH", "102/KH-UBND"),
        ("45/TB-VPUBND", 45, None, "TB-VPUBND", "TB", "45/TB-VPUBND"),
        ("1147 / UBND – KSTT", 1147, None, "UBND-KSTT", CONG_VAN, "1147/UBND-KSTT"),
        ("08/2017/Q\u00d0-UBND", 8, 2017, "QĐ-UBND", "QĐ", "08/2017/QĐ-UBND"),
    ],
)
def test_it_parses_every_form(
    raw: str, number: int, year: int | None, symbol: str, doc_type: str, shown: str
) -> None:
    ref = parse(raw)
    assert (ref.number, ref.year, ref.symbol, ref.doc_type) == (number, year, symbol, doc_type)
    assert str(ref) == shown


def test_the_type_comes_with_its_vietnamese_name() -> None:
    assert parse("08/2017/QĐ-UBND").type_name == "Quyết định"
    assert parse("1147/UBND-KSTT").type_name == "Công văn"
    assert parse("12/CTr-UBND").type_name == "Chương trình"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "1147",
        "/UBND-KSTT",
        "1147/",
        "0/UBND",
        "1147/UBND-",
        "12/2020/UBND-KSTT",
        "x" * 100,
        "1147/UBND KSTT",
        "<script>/x",
        "99-XYZ/TW",
        "1234567/UBND",
    ],
)
def test_it_rejects_garbage_with_a_message(raw: str) -> None:
    with pytest.raises(DocRefError) as info:
        parse(raw)
    assert str(info.value)


def test_type_codes_are_case_sensitive() -> None:
    with pytest.raises(DocRefError, match="QĐ"):
        parse("08/2017/Qđ-UBND")


@given(st.text(max_size=120))
def test_any_text_parses_or_fails_cleanly(raw: str) -> None:
    try:
        ref = parse(raw)
    except DocRefError:
        return
    assert ref.number > 0
    assert ref.doc_type in docref.DOC_TYPES or ref.doc_type in (CONG_VAN, LEGAL)
    assert parse(str(ref)) == ref
