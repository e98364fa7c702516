"""The urging letter (công văn đôn đốc) for one agency, in Decree 30 layout, as DOCX.

An official Vietnamese document: its wording follows Decree 30 and is not translated, so its
text is written here in Vietnamese rather than through gettext."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from nhiemvu.assignments.models import Assignment
from nhiemvu.lib import workdays
from nhiemvu.orgs.models import Organisation, OrgKind
from nhiemvu.reminders.schedule import REMINDED_STATES

FONT = "Times New Roman"


def tasks_to_urge(org: Organisation, today: dt.date) -> list[Assignment]:
    """The agency's overdue and due-soon open tasks, most overdue first (bounded: one letter)."""
    limit = workdays.add_working_days(today, 7)
    return list(
        Assignment.objects.filter(lead=org, state__in=REMINDED_STATES, deadline__lte=limit)
        .select_related("directive")
        .order_by("deadline", "id")[:500]
    )


def _run(
    paragraph: Any, text: str, *, bold: bool = False, italic: bool = False, size: float = 13
) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    run.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def _para(
    cell_or_doc: Any,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    size: float = 13,
) -> Any:
    paragraph = cell_or_doc.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _no_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def urging_letter(
    org: Organisation,
    *,
    today: dt.date | None = None,
    issuer: str = "ỦY BAN NHÂN DÂN",
    province: str = "Bình Định",
    symbol: str = "UBND-KSTT",
) -> bytes:
    today = today or workdays.today()
    tasks = tasks_to_urge(org, today)
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)  # A4
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    document.styles["Normal"].font.name = FONT
    document.styles["Normal"].font.size = Pt(13)

    head = document.add_table(rows=1, cols=2)
    _no_borders(head)
    left, right = head.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(left.paragraphs[0], issuer, size=12)
    _para(left, f"TỈNH {province.upper()}", bold=True, center=True, size=12)
    _para(left, f"Số:      /{symbol}", center=True)
    _para(left, "V/v đôn đốc thực hiện nhiệm vụ được giao", center=True, size=12)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, center=True)
    _para(
        right,
        f"{province}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
        italic=True,
        center=True,
    )

    _para(document, f"Kính gửi: {_addressee(org)}.", center=True)
    intro = _para(document)
    intro.paragraph_format.first_line_indent = Cm(1)
    _run(
        intro,
        (
            f"Qua theo dõi trên Hệ thống quản lý, theo dõi nhiệm vụ, đến ngày {today:%d/%m/%Y}, "
            f"{org.name} còn {len(tasks)} nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao "
            "đã quá hạn hoặc sắp đến hạn nhưng chưa hoàn thành (chi tiết tại bảng dưới đây)."
        ),
    )

    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(
        table.rows[0].cells,
        ["STT", "Nội dung nhiệm vụ", "Văn bản giao", "Thời hạn", "Tình trạng"],
        strict=True,
    ):
        _run(cell.paragraphs[0], title, bold=True, size=12)
    for number, task in enumerate(tasks, 1):
        cells = table.add_row().cells
        days = workdays.working_days_between(task.deadline, today) if task.deadline else 0
        state = f"Quá hạn {days} ngày làm việc" if days > 0 else "Sắp đến hạn"
        for cell, value in zip(
            cells,
            [
                str(number),
                task.summary,
                task.directive.ref,
                f"{task.deadline:%d/%m/%Y}" if task.deadline else "",
                state,
            ],
            strict=True,
        ):
            _run(cell.paragraphs[0], value, size=12)

    ask = _para(document)
    ask.paragraph_format.first_line_indent = Cm(1)
    _run(
        ask,
        (
            f"Chủ tịch UBND tỉnh yêu cầu {org.name} khẩn trương chỉ đạo hoàn thành các nhiệm vụ "
            "nêu trên, báo cáo kết quả (qua Văn phòng UBND tỉnh) trong 05 ngày làm việc kể từ ngày "
            "nhận được văn bản này; trường hợp không hoàn thành đúng thời hạn phải báo cáo rõ "
            "lý do và đề xuất thời hạn hoàn thành./."
        ),
    )

    sign = document.add_table(rows=1, cols=2)
    _no_borders(sign)
    recipients, signer = sign.rows[0].cells
    _run(recipients.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12)
    for line in ("- Như trên;", "- CT, các PCT UBND tỉnh;", "- Lưu: VT."):
        _para(recipients, line, size=11)
    signer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(signer.paragraphs[0], "TL. CHỦ TỊCH", bold=True)
    _para(signer, "CHÁNH VĂN PHÒNG", bold=True, center=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _addressee(org: Organisation) -> str:
    if org.kind in (OrgKind.DISTRICT, OrgKind.COMMUNE):
        return f"Chủ tịch {org.name}"
    return f"Thủ trưởng {org.name}" if not org.name.startswith("Thủ trưởng") else org.name
