"""The document header (Decree 30 layout) and its news-article form.

From a full letter: issuer, number and symbol, place and date, subject (V/v …), addressees
(Kính gửi), signer and authority (TM./KT. …). From a news item: "Ngày 17/11/2020, UBND tỉnh ban
hành Công văn số 4312/UBND-KGVX …".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from nhiemvu.extraction import agencies as ag
from nhiemvu.extraction.text import Text
from nhiemvu.lib import docref

DATE_LINE = re.compile(
    r"(?P<place>[A-ZĐÂ][^\n,|:]{1,40}?),\s*ngày\s*(?P<d>\d{1,2})\s*tháng\s*(?P<m>\d{1,2})\s*năm\s*(?P<y>\d{4})"
)
NUMBER = re.compile(r"Số\s*:\s*(?P<ref>[^\s|,;]+(?:\s*/\s*[^\s|,;]+)*)")
NEWS = re.compile(
    r"(?:(?:Ngày|ngày)\s*(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?\s*,?\s*)?"
    r"(?P<who>(?:Chủ\s*tịch\s*)?(?:UBND|Ủy\s*ban\s*nhân\s*dân|Văn\s*phòng)[^,.\n]{0,40}?)\s*(?:đã\s*)?ban\s*hành\s*"
    r"(?P<type>Công\s*văn|Quyết\s*định|Chỉ\s*thị|Kế\s*hoạch|Thông\s*báo|Văn\s*bản|công\s*văn)\s*"
    r"(?:số\s*)?(?P<ref>\d{1,6}\s*/\s*[^\s,;]+)(?:\s*ngày\s*(?P<d2>\d{1,2})\s*/\s*(?P<m2>\d{1,2})\s*/\s*(?P<y2>\d{4}))?"
)
# "(Theo Công văn số 6012/UBND-KT, ngày 14/11/2023)", "(3585/VP-KTN, ngày 23/10/2017)"
CITED_SELF = re.compile(
    r"\(\s*(?:Theo\s+)?(?:(?:Công\s*văn|Quyết\s*định|Thông\s*báo|Kế\s*hoạch|Chỉ\s*thị)\s*)?(?:số\s*)?"
    r"(?P<ref>\d{1,6}\s*/\s*[^\s,;()]+)\s*,?\s*ngày\s*(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})\s*\)",
    re.IGNORECASE,
)
ISSUER_WORDS = re.compile(
    r"ỦY\s*BAN|UỶ\s*BAN|UBND|VĂN\s*PHÒNG|BỘ|SỞ|CHÍNH\s*PHỦ|THỦ\s*TƯỚNG|HỘI\s*ĐỒNG|BAN\b|TỈNH|THÀNH\s*PHỐ"
)
# "[ \t]*", not "\s*": a run of blank lines would let every line start rescan the rest of them.
SIGNATURE = re.compile(r"(?m)^\|?[ \t]*(?P<auth>TM|KT|TL|TUQ|Q)\.\s*(?P<who>[^\n|]+)")
ADDRESSEES = re.compile(r"Kính\s*gửi\s*:?\s*", re.IGNORECASE)
NEWS_ADDRESSEES = re.compile(
    r"\bgửi\s+(?P<list>(?:các|UBND|Ủy\s*ban)[^.]{3,300}?)\s+về\s+việc", re.I
)


@dataclass
class Header:
    issuer: str | None = None
    doc_ref: str | None = None
    doc_type: str | None = None
    place: str | None = None
    doc_date: dt.date | None = None
    subject: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    authority: str | None = None
    assigned_by: str | None = None  # "Chủ tịch" or "Phó Chủ tịch", from the signature block
    addressees: list[ag.Mention] = field(default_factory=list)
    body_start: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "doc_ref": self.doc_ref,
            "doc_type": self.doc_type,
            "place": self.place,
            "doc_date": self.doc_date.isoformat() if self.doc_date else None,
            "subject": self.subject,
            "signer_name": self.signer_name,
            "signer_title": self.signer_title,
            "authority": self.authority,
            "assigned_by": self.assigned_by,
            "addressees": [m.text for m in self.addressees],
            "warnings": list(self.warnings),
        }


def _date(year: str | None, month: str | None, day: str | None) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day)) if year and month and day else None
    except ValueError:
        return None


def _ref(raw: str, header: Header) -> None:
    try:
        parsed = docref.parse(raw.strip(" .|"))
    except docref.DocRefError:
        header.warnings.append("doc_ref_unreadable")
        return
    header.doc_ref = str(parsed)
    header.doc_type = parsed.type_name


def parse_header(prepared: Text) -> Header:
    text = prepared.norm
    header = Header()
    top = text[:1500]
    ends: list[int] = []
    number = NUMBER.search(top)
    if number:
        _ref(number.group("ref"), header)
        ends.append(number.end())
    date = DATE_LINE.search(top)
    if date:
        header.place = date.group("place").strip(" |")
        header.doc_date = _date(date.group("y"), date.group("m"), date.group("d"))
        ends.append(date.end())
    news = NEWS.search(text[:3000])
    if news and not header.doc_ref:
        _ref(news.group("ref"), header)
        header.doc_date = (
            header.doc_date
            or _date(news.group("y2"), news.group("m2"), news.group("d2"))
            or _date(news.group("y"), news.group("m"), news.group("d"))
        )
        header.issuer = header.issuer or news.group("who").strip()
    cited = CITED_SELF.search(text) if not header.doc_ref else None
    if cited:
        _ref(cited.group("ref"), header)
        header.doc_date = header.doc_date or _date(
            cited.group("y"), cited.group("m"), cited.group("d")
        )
    first_lines = [ln.strip(" |") for ln in top.split("\n")[:6]]
    issuer_lines: list[str] = []
    for line in first_lines:
        part = line.split("|")[0].strip()
        if not part or re.search(r"CỘNG\s*HÒA|CỘNG\s*HOÀ|Độc\s*lập", part):
            if issuer_lines:
                break
            continue
        if part.isupper() and not part.startswith("SỐ"):
            issuer_lines.append(part)
        elif issuer_lines:
            break
    if issuer_lines and ISSUER_WORDS.search(" ".join(issuer_lines)):
        header.issuer = " ".join(issuer_lines).strip("- ")
    subject = re.search(
        r"(?m)^\s*V/v\s*:?\s*(?P<s>.+(?:\n(?![A-ZĐ][^\n]*,\s*ngày)[a-zà-ỹđ].+)*)", top
    )
    if subject:
        header.subject = re.sub(r"\s+", " ", subject.group("s")).strip(" .|")
        ends.append(subject.end())
    if not header.subject and news:
        # A news item: its title line says what the document is about.
        title = text.lstrip().split("\n", 1)[0].strip()
        if 15 <= len(title) <= 300 and not title.endswith(".") and not title.isupper():
            header.subject = title
    greeting = ADDRESSEES.search(text[:3000])
    gazetteer = ag.Gazetteer()
    if greeting:
        block_end = greeting.end()
        lines = text[greeting.end() :].split("\n")
        items: list[tuple[int, str]] = []
        offset = greeting.end()
        for i, line in enumerate(lines):
            stripped = line.strip()
            if i > 0 and not stripped.startswith(("-", "+", "•")) and stripped:
                break
            if i > 0 and not stripped:
                if items:
                    break
                offset += len(line) + 1
                continue
            items.append((offset, line))
            offset += len(line) + 1
            block_end = offset
        for line_start, line in items:
            pos = line_start + (len(line) - len(line.lstrip(" -+•")))
            found, _ = ag.mentions_list(text, _skip_roles(text, pos), gazetteer)
            header.addressees.extend(found)
        ends.append(block_end)
    else:
        news_to = NEWS_ADDRESSEES.search(text[:3000])
        if news_to:
            found, _ = ag.mentions_list(text, news_to.start("list"), gazetteer)
            header.addressees.extend(found)
    header.body_start = max(ends) if ends else 0
    signatures = list(SIGNATURE.finditer(text))
    if signatures:
        sig = signatures[-1]
        header.authority = sig.group("auth")
        block = text[sig.end() : sig.end() + 2000]  # the signature block is a few lines
        after = [ln.strip(" |") for ln in block.split("\n") if ln.strip(" |")]
        title_lines = [ln for ln in after[:3] if ln.isupper()]
        header.signer_title = " ".join(title_lines) if title_lines else sig.group("who").strip()
        names = [
            ln
            for ln in after[:4]
            if not ln.isupper() and re.match(r"^[A-ZĐ][a-zà-ỹđ]+(?:\s+[A-ZĐ][a-zà-ỹđ]+){1,4}$", ln)
        ]
        header.signer_name = names[0] if names else None
        who = (header.signer_title or "").upper()
        if "PHÓ CHỦ TỊCH" in who:
            header.assigned_by = "Phó Chủ tịch"
        elif "CHỦ TỊCH" in who:
            header.assigned_by = "Chủ tịch"
    return header


def _skip_roles(text: str, pos: int) -> int:
    while True:
        hit = ag.ROLE.match(text, pos)
        if not hit:
            return pos
        pos = hit.end()
