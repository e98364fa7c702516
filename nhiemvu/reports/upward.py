"""The province's report upward on one received task (issue 16): the sub-tasks its agencies did,
as a Decree 30 report (DOCX) and as a sheet (XLSX). Read through the roll-up rule, so the file
says what the task page says."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm

from nhiemvu.assignments import rollup, status
from nhiemvu.assignments.models import Assignment
from nhiemvu.lib import docxlayout as layout
from nhiemvu.lib import spreadsheets, workdays

COLUMNS = [
    "STT",
    "Nội dung nhiệm vụ con",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời hạn",
    "Kết quả (văn bản, ngày)",
    "Tình trạng",
]


@dataclass
class Line:
    number: int
    content: str
    lead: str
    coordinating: str
    deadline: dt.date | None
    result: str
    label: str


def lines_of(upper: Assignment, today: dt.date) -> list[Line]:
    subs = status.annotate(
        Assignment.objects.filter(upper=upper).select_related("lead").order_by("deadline", "id"),
        today,
    ).prefetch_related("coordinators")
    out = []
    with translation.override("vi"):  # the file goes upward in Vietnamese
        rows = [(task, str(status.LABEL_NAMES.get(task.st_label, task.st_label))) for task in subs]
    for number, (task, label) in enumerate(rows, 1):
        result = (
            f"{task.completion_ref} ({task.completion_date:%d/%m/%Y})"
            if task.completion_ref and task.completion_date
            else ""
        )
        out.append(
            Line(
                number,
                task.content,
                task.lead.name,
                ", ".join(c.label for c in task.coordinators.all()),
                task.deadline,
                result,
                label,
            )
        )
    return out


def _stage_text(upper: Assignment) -> str:
    """The roll-up stage in Vietnamese, whatever the reader's language: the file goes upward."""
    with translation.override("vi"):
        return str(rollup.stage_of(upper).label)


def to_docx(upper: Assignment, *, today: dt.date | None = None) -> bytes:
    today = today or workdays.today()
    province = settings.NHIEMVU["PROVINCE_NAME"]
    lines = lines_of(upper, today)
    document = layout.new_document(landscape=True)
    layout.header(
        document,
        issuer_lines=["ỦY BAN NHÂN DÂN", f"TỈNH {province.upper()}"],
        symbol="BC-UBND",
        subject="Báo cáo kết quả thực hiện nhiệm vụ được giao",
        place=province,
        day=today,
    )
    directive = upper.directive
    layout.para(document, f"Kính gửi: {directive.issuer.name}.", center=True)
    intro = layout.para(document)
    intro.paragraph_format.first_line_indent = Cm(1)
    code = f" (mã nhiệm vụ {upper.external_code})" if upper.external_code else ""
    deadline = f", thời hạn {upper.deadline:%d/%m/%Y}" if upper.deadline else ""
    layout.run(
        intro,
        f"Thực hiện nhiệm vụ được giao tại văn bản số {directive.ref} ngày "
        f"{directive.doc_date:%d/%m/%Y} của {directive.issuer.name}{code}{deadline}: "
        f"“{upper.content}”, UBND tỉnh {province} đã giao {len(lines)} nhiệm vụ cho các cơ quan, "
        f"địa phương thực hiện. Kết quả đến ngày {today:%d/%m/%Y}: "
        f"{_stage_text(upper).lower()}; tiến độ chung {upper.progress_percent}%.",
    )
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, COLUMNS, strict=True):
        layout.run(cell.paragraphs[0], title, bold=True, size=12)
    for line in lines:
        values = [
            str(line.number),
            line.content,
            line.lead,
            line.coordinating,
            f"{line.deadline:%d/%m/%Y}" if line.deadline else "",
            line.result,
            line.label,
        ]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            layout.run(cell.paragraphs[0], value, size=12)
    layout.para(document, "")
    layout.signature(
        document,
        recipients=["- Như trên;", "- CT, các PCT UBND tỉnh;", "- Lưu: VT."],
        authority="TM. ỦY BAN NHÂN DÂN",
        title="CHỦ TỊCH",
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_xlsx(upper: Assignment, *, today: dt.date | None = None) -> bytes:
    today = today or workdays.today()
    buffer = io.BytesIO()
    book = spreadsheets.workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Báo cáo")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "text_wrap": True})
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    directive = upper.directive
    sheet.write(0, 0, f"Nhiệm vụ: {upper.content}", bold)
    sheet.write(
        1,
        0,
        f"Văn bản: {directive.ref} ngày {directive.doc_date:%d/%m/%Y}, {directive.issuer.name}",
    )
    sheet.write(2, 0, f"Mã nhiệm vụ của cơ quan giao: {upper.external_code or '—'}")
    sheet.write(3, 0, "Thời hạn báo cáo lên:")
    if upper.deadline:
        sheet.write_datetime(3, 1, dt.datetime.combine(upper.deadline, dt.time()), date)
    sheet.write(4, 0, f"Tình trạng ({today:%d/%m/%Y}): {_stage_text(upper)}")
    sheet.write_row(6, 0, COLUMNS, head)
    row = 6
    for row, line in enumerate(lines_of(upper, today), start=7):
        sheet.write_number(row, 0, line.number)
        sheet.write(row, 1, line.content, wrap)
        sheet.write(row, 2, line.lead)
        sheet.write(row, 3, line.coordinating)
        if line.deadline:
            sheet.write_datetime(row, 4, dt.datetime.combine(line.deadline, dt.time()), date)
        sheet.write(row, 5, line.result)
        sheet.write(row, 6, line.label)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 3, 28)
    sheet.set_column(4, 4, 12)
    sheet.set_column(5, 6, 26)
    sheet.autofilter(6, 0, max(row, 7), len(COLUMNS) - 1)
    book.close()
    return buffer.getvalue()


def filename(upper: Assignment, extension: str) -> str:
    return f"bao-cao-nhiem-vu-{upper.code}.{extension}"
