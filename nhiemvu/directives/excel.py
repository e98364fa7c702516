"""Import of task lists kept in Excel (intake, beside the document import): template, column
mapping, per-row validation in Vietnamese, preview, then all-or-nothing registration through the
services. Re-importing the same file creates nothing twice: a document already registered is
reused, a task already in it (same lead, same content) is skipped.

Each row's document is issued by the province in force on its date (orgs.selectors.province_on),
and its organisations are named exactly (orgs.matching, ``EXACT``: a name, short name, alias or
code; a near miss is suggested, never taken)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from nhiemvu.assignments.models import Assignment
from nhiemvu.assignments.services import TaskSpec, assignment_create
from nhiemvu.directives.models import Directive
from nhiemvu.directives.services import DirectiveSpec, directive_create
from nhiemvu.lib import deliverables, docref, spreadsheets
from nhiemvu.lib.bounds import bound
from nhiemvu.lib.vntext import clean_line, fold
from nhiemvu.orgs import matching
from nhiemvu.orgs.models import Organisation
from nhiemvu.orgs.selectors import province_on

FIELDS: list[tuple[str, str, bool]] = [
    # key, header in the template, required
    ("ref", "Số, ký hiệu văn bản", True),
    ("doc_date", "Ngày văn bản", True),
    ("subject", "Trích yếu văn bản", True),
    ("content", "Nội dung nhiệm vụ", True),
    ("lead", "Cơ quan chủ trì", True),
    ("coordinators", "Cơ quan phối hợp (cách nhau bởi dấu ;)", False),
    ("deliverable", "Sản phẩm", False),
    ("deadline", "Thời hạn (dd/mm/yyyy)", False),
    ("no_deadline_reason", "Lý do không có thời hạn", False),
]
MAX_ROWS = bound("XLSX_MAX_ROWS", 5000)


class ImportError_(ValueError):
    pass


def template() -> bytes:
    buffer = io.BytesIO()
    book = spreadsheets.workbook(buffer, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
    sheet = book.add_worksheet("Nhiệm vụ")
    for col, (_key, title, _required) in enumerate(FIELDS):
        sheet.write(0, col, title, head)
        sheet.set_column(col, col, 28)
    sheet.write_row(
        1,
        0,
        [
            "1147/UBND-KSTT",
            "08/03/2022",
            "Về việc nâng cao hiệu lực …",
            "Báo cáo kết quả rà soát nhiệm vụ tồn đọng",
            "Sở Tài chính",
            "Sở Nội vụ; Sở Tư pháp",
            "Báo cáo",
            "31/03/2022",
            "",
        ],
    )
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


MAX_COLUMNS = bound("XLSX_MAX_COLUMNS", 40)


def read_rows(data: bytes) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the first sheet, or ImportError_ with a message.

    Bounded: the zip was checked on upload (lib.archives); here at most MAX_COLUMNS columns and
    MAX_ROWS rows with content are read, and the sheet is streamed (read-only mode), so a sheet
    that declares a million rows costs no more than one that stops at the limit."""
    import openpyxl

    unreadable = ImportError_(_("The file is not a readable Excel workbook (.xlsx)."))
    rows: list[list[Any]] = []
    blank_run = 0
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                if not any(c not in (None, "") for c in row):
                    blank_run += 1
                    if blank_run > MAX_ROWS:
                        break  # a sheet padded with empty rows ends here
                    continue
                blank_run = 0
                rows.append(list(row))
                if len(rows) - 1 > MAX_ROWS:
                    raise ImportError_(_("At most %(n)s rows per import.") % {"n": MAX_ROWS})
        finally:
            book.close()
    except ImportError_:
        raise
    except Exception as exc:  # openpyxl and its XML parser raise many kinds for a damaged file
        raise unreadable from exc
    if not rows:
        raise ImportError_(_("The workbook is empty."))
    headers = [clean_line(str(c or "")) for c in rows[0]]
    return headers, rows[1:]


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Which column holds which field, by the template's headers (diacritics ignored)."""
    mapping: dict[str, int | None] = {}
    folded = [fold(h) for h in headers]
    for key, title, _required in FIELDS:
        target = fold(title).split(" (")[0]
        best = process.extractOne(target, folded, scorer=fuzz.partial_ratio) if folded else None
        mapping[key] = best[2] if best and best[1] >= 80 else None
    return mapping


@dataclass
class ParsedRow:
    number: int  # the row number in Excel
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean_line(str(value))
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(text)


def _organisation(name: str, known: matching.Directory) -> tuple[Organisation | None, str]:
    found = known.find(name, matching.Strictness.EXACT)
    if found:
        return found, ""
    return None, ", ".join(known.suggest(name))


def validate(
    headers: list[str], rows: list[list[Any]], mapping: dict[str, int | None]
) -> list[ParsedRow]:
    known = matching.Directory.load()  # read once for every row
    missing = [title for key, title, required in FIELDS if required and mapping.get(key) is None]
    if missing:
        raise ImportError_(_("Choose the column for: %(fields)s.") % {"fields": ", ".join(missing)})
    parsed = []
    for index, row in enumerate(rows, start=2):
        item = ParsedRow(index)

        def cell(key: str, row: list[Any] = row) -> Any:
            col = mapping.get(key)
            return row[col] if col is not None and col < len(row) else None

        for key in (
            "ref",
            "subject",
            "content",
            "lead",
            "coordinators",
            "deliverable",
            "no_deadline_reason",
        ):
            item.values[key] = clean_line(str(cell(key) or ""))
        for key, title, required in FIELDS:
            if required and not item.values.get(key) and key not in ("doc_date",):
                item.errors.append(_("Missing: %(field)s.") % {"field": title})
        try:
            docref.parse(item.values["ref"]) if item.values["ref"] else None
        except docref.DocRefError as exc:
            item.errors.append(str(exc))
        for key in ("doc_date", "deadline"):
            try:
                item.values[key] = _date(cell(key))
            except ValueError as exc:
                item.errors.append(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": exc})
                item.values[key] = None
        if item.values["doc_date"] is None and not any("dd/mm" in e for e in item.errors):
            item.errors.append(_("Missing: %(field)s.") % {"field": "Ngày văn bản"})
        if item.values["lead"]:
            org, hint = _organisation(item.values["lead"], known)
            item.values["lead_org"] = org
            if org is None:
                item.errors.append(
                    _("Unknown organisation “%(name)s”.") % {"name": item.values["lead"]}
                    + (" " + _("Did you mean: %(hint)s?") % {"hint": hint} if hint else "")
                )
        coordinators = []
        for name in [n.strip() for n in item.values["coordinators"].split(";") if n.strip()]:
            org, hint = _organisation(name, known)
            if org is None:
                item.errors.append(
                    _("Unknown organisation “%(name)s”.") % {"name": name}
                    + (" " + _("Did you mean: %(hint)s?") % {"hint": hint} if hint else "")
                )
            else:
                coordinators.append(org)
        item.values["coordinator_orgs"] = coordinators
        kind = deliverables.kind_of(item.values["deliverable"])
        item.values["deliverable_kind"] = kind
        without_deadline = deliverables.needs_deadline_reason(kind, item.values["deadline"], None)
        if without_deadline and not item.values["no_deadline_reason"]:
            item.errors.append(
                _(
                    "A deliverable without a deadline: give the deadline or the "
                    "reason why there is none."
                )
            )
        parsed.append(item)
    return parsed


@transaction.atomic
def commit(*, actor: Any, rows: list[ParsedRow]) -> tuple[int, int]:
    """Register everything or nothing. Returns (tasks created, rows already present)."""
    if any(r.errors for r in rows):
        raise ImportError_(_("Correct the rows with errors first: nothing was imported."))
    created = skipped = 0
    directives: dict[tuple[str, dt.date], Directive] = {}
    provinces: dict[dt.date, Organisation | None] = {}  # one query per date, not per row
    for row in rows:
        values = row.values
        # The issuer is the province in force on the document's date, and "already
        # registered?" is asked under that issuer (not under the first province row).
        day = values["doc_date"]
        if day not in provinces:
            provinces[day] = province_on(day)
        province = provinces[day]
        if province is None:
            raise ImportError_(
                _("Row %(row)s: no province is in force on %(day)s among the organisations.")
                % {"row": row.number, "day": f"{values['doc_date']:%d/%m/%Y}"}
            )
        ref = docref.parse(values["ref"])
        key = (str(ref), values["doc_date"])
        directive = (
            directives.get(key)
            or Directive.objects.filter(
                issuer=province, year=values["doc_date"].year, number=ref.number, symbol=ref.symbol
            ).first()
        )
        if directive is None:
            directive = directive_create(
                actor=actor,
                spec=DirectiveSpec(
                    issuer=province,
                    ref=values["ref"],
                    doc_date=values["doc_date"],
                    subject=values["subject"],
                ),
            )
        directives[key] = directive
        if Assignment.objects.filter(
            directive=directive, original_lead=values["lead_org"], content=values["content"]
        ).exists():
            skipped += 1
            continue
        assignment_create(
            actor=actor,
            directive=directive,
            spec=TaskSpec(
                content=values["content"],
                lead=values["lead_org"],
                coordinators=values["coordinator_orgs"],
                deliverable_kind=values["deliverable_kind"],
                deliverable_text=values["deliverable"],
                deadline=values["deadline"],
                no_deadline_reason=values["no_deadline_reason"],
            ),
        )
        created += 1
    return created, skipped
