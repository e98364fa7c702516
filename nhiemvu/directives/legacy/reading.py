"""Reading an old tracker's export (issue 29): the file, its columns, its words.

The file is a CSV (UTF-8, with or without BOM; comma or semicolon) or an XLSX workbook (its zip
directory checked by lib.archives before anything is unpacked, streamed read-only). Rows are
read one at a time, so a 100,000-row export costs no more memory than a small one. Which column
holds which fact and what each state word means come from the profile the office reviews;
`guess_columns` and `DEFAULT_STATES` propose them the first time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from nhiemvu.lib import archives
from nhiemvu.lib.bounds import bound
from nhiemvu.lib.vntext import clean_line, fold

MAX_BYTES = bound("LEGACY_MAX_MB", 200) * 1024 * 1024
MAX_ROWS = bound("LEGACY_MAX_ROWS", 1_000_000)
MAX_COLUMNS = 60
MAX_CELL = 20_000  # a note longer than this is not a tracker's cell

# key, what the office reads, the old trackers' usual headers (folded), required
FIELDS: list[tuple[str, str, tuple[str, ...], bool]] = [
    ("legacy_id", "Mã nhiệm vụ (hệ thống cũ)", ("ma nhiem vu", "id", "ma", "so tt nhiem vu"), True),
    ("doc_ref", "Số, ký hiệu văn bản", ("so ky hieu", "so, ky hieu van ban", "van ban giao"), True),
    ("doc_date", "Ngày văn bản", ("ngay van ban", "ngay ban hanh"), True),
    ("subject", "Trích yếu", ("trich yeu", "trich yeu van ban"), False),
    ("content", "Nội dung nhiệm vụ", ("noi dung", "noi dung nhiem vu", "ten nhiem vu"), True),
    ("lead", "Đơn vị chủ trì", ("don vi chu tri", "co quan chu tri", "chu tri"), True),
    ("coordinators", "Đơn vị phối hợp", ("don vi phoi hop", "co quan phoi hop", "phoi hop"), False),
    ("assigned_on", "Ngày giao", ("ngay giao", "ngay giao nhiem vu"), False),
    ("deadline", "Hạn xử lý", ("han xu ly", "thoi han", "han hoan thanh"), False),
    ("original_deadline", "Hạn ban đầu", ("han ban dau", "han goc"), False),
    ("state", "Trạng thái", ("trang thai", "tinh trang"), True),
    ("completion_date", "Ngày hoàn thành", ("ngay hoan thanh",), False),
    (
        "completion_ref",
        "Văn bản báo cáo hoàn thành",
        ("van ban hoan thanh", "so van ban bao cao"),
        False,
    ),
    # One cell each, entries one after another (a line each, as the old trackers print them):
    # "28/02/2026 → 31/03/2026 Văn bản 45/UBND-KT ngày 20/02/2026" and "15/01/2026: text".
    ("extensions", "Gia hạn", ("gia han", "lich su gia han", "cac lan gia han"), False),
    ("progress", "Tiến độ", ("tien do", "tien do thuc hien", "ghi chu tien do"), False),
    ("files", "Tệp đính kèm", ("tep dinh kem", "file dinh kem", "dinh kem"), False),
]
REQUIRED = [key for key, _t, _h, required in FIELDS if required]
TITLES = {key: title for key, title, _h, _r in FIELDS}

# The old trackers' state words (folded) and what they mean here. "Quá hạn" is an open task
# past its deadline (the status engine says so itself); "Hoàn thành quá hạn" is done, late by
# its dates. The office reviews and corrects this on the first screen.
DEFAULT_STATES = {
    "dang thuc hien": "open",
    "dang xu ly": "open",
    "chua thuc hien": "open",
    "qua han": "open",
    "hoan thanh": "done",
    "da hoan thanh": "done",
    "hoan thanh dung han": "done",
    "hoan thanh qua han": "done",
    "cho xac nhan": "reported",
    "cho duyet": "reported",
    "tam dung": "paused",
}


class ReadError(ValueError):
    pass


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[list[str]]
    closers: list[Any] = field(default_factory=list)  # callables

    def close(self) -> None:
        for closer in self.closers:
            closer()


def _csv(stream: Any) -> Table:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError as exc:
        raise ReadError(_("The file is not UTF-8 text (save the CSV as UTF-8).")) from exc
    delimiter = ";" if first.count(";") > first.count(",") else ","
    csv.field_size_limit(MAX_CELL)
    headers = [clean_line(h) for h in next(csv.reader([first], delimiter=delimiter), [])]

    def rows() -> Iterator[list[str]]:
        try:
            for row in csv.reader(text, delimiter=delimiter):
                if any(c.strip() for c in row):
                    yield row[:MAX_COLUMNS]
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ReadError(_("The CSV file is damaged: %(error)s") % {"error": exc}) from exc

    # Detached, not closed: the caller's file stays open (a run stores it after the check).
    return Table(headers[:MAX_COLUMNS], rows(), [text.detach])


def _xlsx(stream: Any, name: str) -> Table:
    import openpyxl

    try:
        archives.check_workbook(archives.check_zip(stream, name), name)
    except archives.ArchiveError as exc:
        raise ReadError(str(exc)) from exc
    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        cells = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        headers = [clean_line(str(c or "")) for c in next(cells, ())]
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ReadError(_("The file is not a readable Excel workbook (.xlsx).")) from exc

    def rows() -> Iterator[list[str]]:
        for row in cells:
            values = ["" if c is None else _cell_text(c) for c in row]
            if any(v.strip() for v in values):
                yield values

    return Table(headers, rows(), [book.close])


def _cell_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def open_table(stream: Any, name: str | None, size: int) -> Table:
    """The export's headers and a stream of its rows, or ReadError with a message."""
    if size > MAX_BYTES:
        raise ReadError(
            _("The file is larger than %(mb)s MB; split the export by year.")
            % {"mb": MAX_BYTES // 1048576}
        )
    head = stream.read(4)
    stream.seek(0)
    table = _xlsx(stream, name or "") if head.startswith(b"PK") else _csv(stream)
    if not any(table.headers):
        table.close()
        raise ReadError(_("The file has no header row."))
    return table


def guess_columns(headers: list[str]) -> dict[str, str]:
    """field -> header, for the headers that read like one of the old trackers' names."""
    folded = {fold(h).replace(",", "").strip(): h for h in headers if h}
    found: dict[str, str] = {}
    for key, title, usual, _required in FIELDS:
        for candidate in (fold(title), *usual):
            if candidate.replace(",", "") in folded:
                found[key] = folded[candidate.replace(",", "")]
                break
    return found


def parse_date(value: str) -> dt.date | None:
    """A date as old trackers write it (dd/mm/yyyy, ISO, with a time after it)."""
    text = clean_line(value or "")
    if not text:
        return None
    text = text.split(" ")[0].split("T")[0]
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
        if 1900 <= day.year <= 2200:
            return day
    raise ValueError(text)


_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}"
# "old → new" (or ->, =>, >, "đến"), then the decision up to the next extension.
_EXTENSION = re.compile(rf"({_DATE})\s*(?:→|->|=>|>|đến|den)\s*({_DATE})", re.IGNORECASE)
_NOTE = re.compile(rf"(?:^|(?<=\s)|(?<=;))({_DATE})\s*:")
_ANY_DATE = re.compile(_DATE)


def _entries(pattern: re.Pattern[str], cell: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each match of ``pattern`` in ``cell`` with the text after it, up to the next match;
    ValueError naming the text before the first one, if any (an entry without its dates)."""
    found = list(pattern.finditer(cell))
    head = cell[: found[0].start()] if found else cell
    if head.strip(" \n;,|"):
        raise ValueError(clean_line(head)[:80])
    ends = [m.start() for m in found[1:]] + [len(cell)]
    for match, end in zip(found, ends, strict=False):
        yield match, clean_line(cell[match.end() : end]).strip(" ;,|:-")


def extensions_in(cell: str) -> list[tuple[dt.date, dt.date, dt.date | None, str]]:
    """The extensions written in one cell: (old deadline, new deadline, the decision's date if
    it names one, the decision as written). ValueError with the text that does not read."""
    found = []
    for match, decision in _entries(_EXTENSION, cell or ""):
        old, new = parse_date(match.group(1)), parse_date(match.group(2))
        assert old is not None and new is not None  # the pattern matched dates
        dated = _ANY_DATE.search(decision)
        found.append((old, new, parse_date(dated.group(0)) if dated else None, decision))
    return found


def notes_in(cell: str) -> list[tuple[dt.date, str]]:
    """The dated progress notes in one cell ("15/01/2026: text"); ValueError as above."""
    found = []
    for match, text in _entries(_NOTE, cell or ""):
        day = parse_date(match.group(1))
        assert day is not None
        found.append((day, text))
    return found


def state_key(word: str) -> str:
    return " ".join(fold(word or "").split())


def names_in(cell: str) -> list[str]:
    """The agencies named in one cell ("Sở Tài chính; Sở Xây dựng")."""
    return [n for n in (clean_line(p) for p in (cell or "").replace("\n", ";").split(";")) if n]
