"""Decree 30 layout pieces for Word documents (python-docx): A4, Times New Roman, the two-
column header (issuing body | national name and motto), the signature block."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Times New Roman"


def run(
    paragraph: Any, text: str, *, bold: bool = False, italic: bool = False, size: float = 13
) -> Any:
    added = paragraph.add_run(text)
    added.bold, added.italic = bold, italic
    added.font.size = Pt(size)
    added.font.name = FONT
    added.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return added


def para(
    container: Any,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    size: float = 13,
    indent: bool = False,
) -> Any:
    paragraph = container.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if text:
        run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def no_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def new_document(*, landscape: bool = False) -> Any:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)  # A4
    if landscape:
        section.page_height, section.page_width = section.page_width, section.page_height
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    document.styles["Normal"].font.name = FONT
    document.styles["Normal"].font.size = Pt(13)
    return document


def header(
    document: Any,
    *,
    issuer_lines: list[str],
    symbol: str,
    subject: str | None,
    place: str,
    day: dt.date,
) -> None:
    """Issuing body, number and symbol (number left blank for the clerk), subject | national
    name, motto, place and date."""
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    left, right = table.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(left.paragraphs[0], issuer_lines[0], size=12)
    for line in issuer_lines[1:]:
        para(left, line, bold=True, center=True, size=12)
    para(left, f"Số:      /{symbol}", center=True)
    if subject:
        para(left, subject, center=True, size=12)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, center=True)
    para(
        right,
        f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
        italic=True,
        center=True,
    )


def signature(
    document: Any, *, recipients: list[str], authority: str, title: str, name: str = ""
) -> None:
    """Decree 30's closing block: "Nơi nhận" on the left; the authority and title on the right,
    room for the signature under them, then the signer's name (when known)."""
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    left, right = table.rows[0].cells
    run(left.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12)
    for line in recipients:
        para(left, line, size=11)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(right.paragraphs[0], authority, bold=True)
    para(right, title, bold=True, center=True)
    if name:
        for _blank in range(3):  # the signature's room
            para(right, "", center=True)
        para(right, name, bold=True, center=True)
