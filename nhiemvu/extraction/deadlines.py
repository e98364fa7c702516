"""Deadline and recurrence phrases (DOMAIN.md §7) → dates, resolved against the document date.

Only phrases that state a time limit count: a date after "Công văn số … ngày 27/7/2021" names a
document, not a deadline, and is never taken.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from nhiemvu.lib import workdays

_D = r"(?P<d>\d{1,2})"
_M = r"(?P<m>\d{1,2})"
_Y = r"(?P<y>(?:19|20)\d\d)"
_SEP = r"\s*[/.\-]\s*"
_DIGIT = re.compile(r"\d")
# 20/7/2020, 20.7.2020, 20-7-2020, 20/7 (no year), "20 tháng 7 năm 2020" (groups d2, m2, y2)
_DATE = (
    rf"(?:{_D}{_SEP}{_M}(?:{_SEP}{_Y})?(?!\d)"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})(?:\s*(?:năm|,)\s*(?P<y2>(?:19|20)\d\d))?)"
)
_TIME = r"(?:(?P<h>\d{1,2})\s*(?:giờ|h|g)\s*(?P<mi>\d{1,2})?\s*'?\s*(?:phút)?\s*(?:sáng|chiều)?\s*,?\s*(?:ngày\s*)?)"
_WS = r"\s*"  # "trướcngày": spaces lost in extraction are tolerated everywhere

BEFORE = re.compile(
    rf"(?P<kw>(?:hoàn\s*thành\s*)?(?:trước|chậm\s*nhất(?:\s*là)?|đến\s*hết|đến|hạn\s*chót|hạn\s*cuối|không\s*quá|hết\s*hạn\s*vào)){_WS}"
    rf"(?:{_TIME})?(?:ngày{_WS})?{_DATE}",
    re.IGNORECASE,
)
# "trong tháng 6", and a list of months, "trong tháng 11, tháng 12 năm 2025": the last one.
MONTH = re.compile(
    rf"(?P<kw>trong|vào|đến)\s*(?:(?P<part>đầu|giữa|cuối)\s*)?tháng\s*"
    rf"(?:\d{{1,2}}\s*(?:,|và|-)\s*(?:tháng\s*)?)*{_M}"
    rf"(?:\s*(?:năm|/|-)\s*{_Y})?(?!\d)",
    re.IGNORECASE,
)
MONTH_PART = re.compile(
    rf"(?:vào|trong|trước)?\s*(?P<part>đầu|giữa|cuối)\s*tháng\s*{_M}(?:\s*(?:năm|/|-)\s*{_Y})?(?!\d)",
    re.IGNORECASE,
)
QUARTER = re.compile(
    r"(?:trong|vào|hết|cuối)\s*quý\s*(?P<q>IV|III|II|I|[1-4])(?:\s*(?:năm|/|-)\s*(?P<y>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
HALF = re.compile(
    r"(?P<which>6|sáu)\s*tháng\s*(?P<part>đầu|cuối)\s*năm(?:\s*(?P<y>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
YEAR = re.compile(
    r"(?:trong|ngay\s+trong|hết|(?:từ\s*nay\s*)?đến\s*(?:cuối|hết)|cuối)\s*năm\s*(?P<y>(?:19|20)\d\d)",
    re.IGNORECASE,
)
WORKING_DAYS = re.compile(
    r"(?:trong|trong\s*vòng|sau|chậm\s*nhất)\s*(?:thời\s*hạn\s*)?(?P<n>\d{1,3})\s*ngày\s*làm\s*việc",
    re.IGNORECASE,
)
CALENDAR_DAYS = re.compile(
    r"(?:trong|trong\s*vòng|sau|chậm\s*nhất)\s*(?:thời\s*hạn\s*)?(?P<n>\d{1,3})\s*ngày(?!\s*làm\s*việc)(?!\s*\d)(?![/.]\d)",
    re.IGNORECASE,
)

RECURRENCE = [
    ("weekly", re.compile(r"h[aàằ]ng\s*tuần|mỗi\s*tuần|định\s*kỳ\s*(?:01\s*|1\s*)?tuần", re.I)),
    (
        "monthly",
        re.compile(r"h[aàằ]ng\s*tháng|mỗi\s*tháng|định\s*kỳ\s*(?:01\s*|1\s*)?tháng(?!\s*\d)", re.I),
    ),
    (
        "quarterly",
        re.compile(
            r"h[aàằ]ng\s*quý|mỗi\s*quý|định\s*kỳ\s*quý|(?:0?3|ba)\s*tháng\s*(?:/\s*lần|một\s*lần|1\s*lần)",
            re.I,
        ),
    ),
    (
        "half_yearly",
        re.compile(
            r"(?:0?6|sáu)\s*tháng\s*(?:/\s*lần|một\s*lần|1\s*lần)|h[aàằ]ng\s*6\s*tháng|"
            r"định\s*kỳ\s*(?:0?6|sáu)\s*tháng|cứ\s*(?:0?6|sáu)\s*tháng",
            re.I,
        ),
    ),
    ("yearly", re.compile(r"h[aàằ]ng\s*năm|mỗi\s*năm|định\s*kỳ\s*(?:01\s*|1\s*)?năm", re.I)),
    (
        "other",
        re.compile(
            r"\d{1,2}\s*ngày\s*(?:/\s*lần|một\s*lần|1\s*lần)|định\s*kỳ|cứ\s*\d{1,2}\s*ngày", re.I
        ),
    ),
]
# Every rhythm above holds one of these words: a sentence without any is not scanned.
_MAY_RECUR = re.compile(r"h[aàằ]ng|mỗi|định\s*kỳ|lần|cứ", re.I)
# "khẩn trương, ngay, kịp thời, thường xuyên": urgency words, never a date (DOMAIN.md §7).

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


@dataclass
class Deadline:
    date: dt.date | None
    text: str  # the phrase as found (normalised text)
    span: tuple[int, int]  # in the normalised text
    how: str  # how it was resolved, for the reviewer
    time: dt.time | None = None
    year_inferred: bool = False
    warnings: list[str] = field(default_factory=list)


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _year(raw: str | None, month: int, day: int, doc_date: dt.date | None) -> tuple[int, bool]:
    """The year as written, else the document's (next year if that date has passed)."""
    if raw:
        return int(raw), False
    if doc_date is None:
        return workdays.today().year, True
    year = doc_date.year
    try:
        if dt.date(year, month, day) < doc_date:
            year += 1
    except ValueError:
        pass
    return year, True


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _hits(pattern: re.Pattern[str], text: str, present: bool) -> Iterator[re.Match[str]]:
    """The pattern's matches, scanned only when a word every match holds is present: each
    scan costs about a tenth of a millisecond on a page, and most sentences hold no "quý" or
    "ngày làm việc" (the reader's speed, issue 26)."""
    return pattern.finditer(text) if present else iter(())


def find_deadlines(text: str, doc_date: dt.date | None) -> list[Deadline]:
    """Every deadline phrase in `text`, in order of appearance."""
    found: list[Deadline] = []
    low = text.lower()
    digit = _DIGIT.search(text) is not None  # every phrase but a quarter or a half names a number
    months = digit and "tháng" in low
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= taken_start or start >= taken_end for taken_start, taken_end in taken)

    def found_at(
        hit: re.Match[str],
        date: dt.date | None,
        how: str,
        *,
        time: dt.time | None = None,
        year_inferred: bool = False,
    ) -> None:
        add(Deadline(date, hit.group(0), hit.span(), how, time, year_inferred))

    def add(item: Deadline) -> None:
        if free(*item.span):
            taken.append(item.span)
            found.append(item)

    for hit in _hits(BEFORE, text, digit):
        numeric = hit.group("d") is not None
        day = int(hit.group("d") if numeric else hit.group("d2"))
        month = int(hit.group("m") if numeric else hit.group("m2"))
        raw_year = hit.group("y") if numeric else hit.group("y2")
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        year, inferred = _year(raw_year, month, day, doc_date)
        date = _safe(year, month, day)
        if date is None:
            continue
        time = None
        if hit.group("h"):
            hour, minute = int(hit.group("h")), int(hit.group("mi") or 0)
            if hour < 24 and minute < 60:
                time = dt.time(hour, minute)
        how = f"“{hit.group(0).strip()}”: ngày {date:%d/%m/%Y}"
        if inferred:
            how += " (năm lấy theo ngày văn bản)"
        found_at(hit, date, how, time=time, year_inferred=inferred)
    for hit in _hits(MONTH_PART, text, months):
        month = int(hit.group("m"))
        if not 1 <= month <= 12:
            continue
        year, inferred = _year(hit.group("y"), month, 1, doc_date)
        part = hit.group("part").lower()
        first_or_mid = {"đầu": 1, "giữa": 15}.get(part)
        date = (
            _last_day(year, month) if first_or_mid is None else dt.date(year, month, first_or_mid)
        )
        found_at(
            hit,
            date,
            f"“{hit.group(0).strip()}”: {part} tháng → {date:%d/%m/%Y} (Bộ luật Dân sự, điều 146)",
            year_inferred=inferred,
        )
    for hit in _hits(MONTH, text, months):
        month = int(hit.group("m"))
        if not 1 <= month <= 12:
            continue
        year, inferred = _year(hit.group("y"), month, 1, doc_date)
        date = _last_day(year, month)
        found_at(
            hit,
            date,
            f"“{hit.group(0).strip()}”: ngày cuối tháng {date:%d/%m/%Y}",
            year_inferred=inferred,
        )
    for hit in _hits(QUARTER, text, "quý" in low):
        quarter = ROMAN.get(hit.group("q").upper()) or int(hit.group("q"))
        year = int(hit.group("y")) if hit.group("y") else (doc_date or workdays.today()).year
        date = _last_day(year, quarter * 3)
        found_at(
            hit,
            date,
            f"“{hit.group(0).strip()}”: hết quý → {date:%d/%m/%Y}",
            year_inferred=not hit.group("y"),
        )
    for hit in _hits(HALF, text, "tháng" in low):
        year = int(hit.group("y")) if hit.group("y") else (doc_date or workdays.today()).year
        date = dt.date(year, 6, 30) if hit.group("part").lower() == "đầu" else dt.date(year, 12, 31)
        found_at(
            hit,
            date,
            f"“{hit.group(0).strip()}” → {date:%d/%m/%Y}",
            year_inferred=not hit.group("y"),
        )
    for hit in _hits(YEAR, text, digit and "năm" in low):
        date = dt.date(int(hit.group("y")), 12, 31)
        found_at(hit, date, f"“{hit.group(0).strip()}” → {date:%d/%m/%Y}")
    for hit in _hits(WORKING_DAYS, text, digit and "việc" in low):
        days = int(hit.group("n"))
        if doc_date is None or days == 0:
            found_at(hit, None, "số ngày làm việc nhưng không rõ ngày văn bản")
            continue
        date = workdays.add_working_days(doc_date, days)
        found_at(
            hit,
            date,
            f"“{hit.group(0).strip()}” kể từ ngày văn bản "
            f"{doc_date:%d/%m/%Y}: {date:%d/%m/%Y} (ngày làm việc)",
        )
    for hit in _hits(CALENDAR_DAYS, text, digit and "ngày" in low):
        days = int(hit.group("n"))
        if doc_date is None or days == 0:
            found_at(hit, None, "số ngày nhưng không rõ ngày văn bản")
            continue
        date = workdays.add_calendar_days(doc_date, days)
        found_at(
            hit,
            date,
            f"“{hit.group(0).strip()}” kể từ ngày văn bản "
            f"{doc_date:%d/%m/%Y}: {date:%d/%m/%Y} (ngày cuối rơi vào ngày nghỉ thì "
            "lùi sang ngày làm việc kế tiếp)",
        )
    found.sort(key=lambda d: d.span[0])
    return found


def find_recurrence(text: str) -> tuple[str, tuple[int, int], str] | None:
    """The recurrence a clause states ("định kỳ 03 tháng/lần" → quarterly), or None."""
    best: tuple[str, tuple[int, int], str] | None = None
    if not _MAY_RECUR.search(text):
        return None
    hits = [(kind, p.search(text)) for kind, p in RECURRENCE]  # each pattern scanned once
    rhythms = [hit for _kind, hit in hits[:-1] if hit]
    if len(rhythms) > 1:
        # "định kỳ 6 tháng, hàng năm": two rhythms at once, recorded as "other" for the office.
        first = min(rhythms, key=lambda hit: hit.start())
        return ("other", first.span(), first.group(0))
    for kind, hit in hits:
        if hit and (best is None or (kind != "other" and best[0] == "other")):
            best = (kind, hit.span(), hit.group(0))
            if kind != "other":
                break
    if (
        best
        and best[0] == "other"
        and not re.search(r"định\s*kỳ|/\s*lần|một\s*lần|cứ", best[2], re.I)
    ):
        return None
    return best
