"""Document numbers and symbols (Nghị định 30/2020/NĐ-CP, Phụ lục III).

"1147/UBND-KSTT" is number / symbol; legal documents carry the year ("08/2017/QĐ-UBND").
The symbol is the type abbreviation and the issuer joined by "-"; a công văn has no type
abbreviation. Type codes are mixed case (CTr, QyĐ, TTr, TTg) and matched case-sensitively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from nhiemvu.lib.vntext import clean_line

# Phụ lục III types, plus NĐ, TT, TTLT for legal documents of central bodies.
DOC_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "SY": "Bản sao y",
    "TrS": "Bản trích sao",
    "SL": "Bản sao lục",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
}
CONG_VAN = "CV"  # our code for an official letter, which carries no type abbreviation
LEGAL = "VBQPPL"  # a law or resolution of the National Assembly: "72/2025/QH15"

# A symbol part: letters (Vietnamese included), digits, "&" and "." ("CCHC&PC", "V.I", "QH15").
_PART = r"[0-9A-Za-zÀ-ỹĐđ&.]+"
_REF = re.compile(
    rf"^(?:Số\s*:?\s*)?(?P<number>\d{{1,6}})\s*/\s*(?:(?P<year>(?:19|20)\d\d)\s*/\s*)?"
    rf"(?P<symbol>{_PART}(?:\s*-\s*{_PART})*)$"
)


class DocRefError(ValueError):
    """A number/symbol that is not of any form Decree 30 or practice allows."""


@dataclass(frozen=True)
class DocRef:
    number: int
    year: int | None
    symbol: str
    doc_type: str  # a key of DOC_TYPES, CONG_VAN or LEGAL
    party: bool = False  # Party style "60-NQ/TW"

    @property
    def type_name(self) -> str:
        if self.doc_type == LEGAL:
            return "Luật, Nghị quyết của Quốc hội"
        return DOC_TYPES.get(self.doc_type, "Công văn")

    def __str__(self) -> str:
        number = f"{self.number:02d}"
        if self.party:
            return f"{number}-{self.symbol}"
        if self.year:
            return f"{number}/{self.year}/{self.symbol}"
        return f"{number}/{self.symbol}"


def parse(raw: str) -> DocRef:
    """Parse "1147/UBND-KSTT", "08/2017/QĐ-UBND", "60-NQ/TW"… or raise DocRefError (Vietnamese)."""
    text = clean_line(raw or "")
    if not text:
        raise DocRefError(_("The number and symbol are missing."))
    if len(text) > 80:
        raise DocRefError(_("The number and symbol are too long (at most 80 characters)."))
    party = re.fullmatch(r"(?:Số\s*:?\s*)?(\d{1,6})\s*-\s*([A-Za-zĐ]+)\s*/\s*(" + _PART + ")", text)
    if party:
        # Party style "60-NQ/TW": number-type/issuer.
        code = party.group(2)
        if code not in DOC_TYPES:
            raise DocRefError(
                _("Document type “%(code)s” is not in the list of Decree 30.") % {"code": code}
            )
        return DocRef(int(party.group(1)), None, f"{code}/{party.group(3)}", code, party=True)
    match = _REF.match(text)
    if not match:
        raise DocRefError(
            _("“%(text)s” is not a number/symbol such as 1147/UBND-KSTT or 08/2017/QĐ-UBND.")
            % {"text": text}
        )
    number = int(match.group("number"))
    if number == 0:
        raise DocRefError(_("The document number must be greater than 0."))
    symbol = re.sub(r"\s*-\s*", "-", match.group("symbol"))
    parts = symbol.split("-")
    if any(not p for p in parts):
        raise DocRefError(_("The symbol “%(symbol)s” has an empty part.") % {"symbol": symbol})
    first = parts[0]
    if len(parts) > 1 and first in DOC_TYPES:
        doc_type = first
    elif len(parts) > 1 and first.upper() in DOC_TYPES and first.upper() != first:
        # Case matters ("Qđ" is not "QĐ"): say so instead of guessing.
        raise DocRefError(
            _("The type “%(got)s” has the wrong case (it is “%(want)s”).")
            % {"got": first, "want": first.upper()}
        )
    else:
        # A công văn: issuer plus drafting unit ("UBND-KSTT", "VPCP-KTTH"), or a bare issuer.
        doc_type = CONG_VAN
    year = int(match.group("year")) if match.group("year") else None
    if year is not None and doc_type == CONG_VAN:
        if len(parts) == 1 and re.fullmatch(r"QH\d{1,2}", first):
            doc_type = LEGAL
        else:
            raise DocRefError(
                _("“%(text)s” has a year but no document type (such as QĐ, NQ).") % {"text": text}
            )
    return DocRef(number, year, symbol, doc_type)
