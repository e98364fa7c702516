"""The urging letter (công văn đôn đốc) for one agency, in Decree 30 layout, as DOCX.

An official Vietnamese document: its wording follows Decree 30 and is not translated, so its
text is written here in Vietnamese rather than through gettext."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm

from nhiemvu.assignments import explanations, namedsets
from nhiemvu.assignments.models import Assignment
from nhiemvu.directives.files import office_block, sign_issued
from nhiemvu.lib import docxlayout as layout
from nhiemvu.lib import workdays
from nhiemvu.lib.orgkinds import LOCALITIES
from nhiemvu.lib.pdf import render_pdf
from nhiemvu.orgs.models import Organisation

# At most this many tasks in one letter (its table fits a signed official letter).
LETTER_ROWS = 500
# The agency reports back within this many working days of receiving the letter.
REPLY_WORKING_DAYS = 5


def tasks_to_urge(org: Organisation, today: dt.date) -> list[Assignment]:
    """The agency's overdue and due-soon open tasks, most overdue first (bounded: one letter)."""
    return list(
        Assignment.objects.filter(namedsets.urging_q(today), lead=org)
        .select_related("directive")
        .order_by("deadline", "id")[:LETTER_ROWS]
    )


def request_sentence(org: Organisation) -> str:
    """What the letter asks of the agency, once for the DOCX and the PDF (Decree 30 writes a
    count of days with two digits: "05 ngày làm việc")."""
    return (
        f"Chủ tịch UBND tỉnh yêu cầu {org.name} khẩn trương chỉ đạo hoàn thành các nhiệm vụ nêu "
        f"trên, báo cáo kết quả (qua Văn phòng UBND tỉnh) trong {REPLY_WORKING_DAYS:02d} ngày "
        "làm việc kể từ ngày nhận được văn bản này; trường hợp không hoàn thành đúng thời hạn phải "
        "báo cáo rõ lý do và đề xuất thời hạn hoàn thành./."
    )


def urging_letter(
    org: Organisation,
    *,
    today: dt.date | None = None,
    issuer: str = "ỦY BAN NHÂN DÂN",
    province: str | None = None,
    symbol: str = "UBND-KSTT",
) -> bytes:
    today = today or workdays.today()
    province = province or settings.NHIEMVU["PROVINCE_NAME"]
    tasks = tasks_to_urge(org, today)
    document = layout.new_document()
    layout.header(
        document,
        issuer_lines=[issuer, f"TỈNH {province.upper()}"],
        symbol=symbol,
        subject="V/v đôn đốc thực hiện nhiệm vụ được giao",
        place=province,
        day=today,
    )

    layout.para(document, f"Kính gửi: {_addressee(org)}.", center=True)
    intro = layout.para(document)
    intro.paragraph_format.first_line_indent = Cm(1)
    layout.run(
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
        layout.run(cell.paragraphs[0], title, bold=True, size=12)
    for row in _rows(tasks, today):
        for cell, value in zip(table.add_row().cells, row, strict=True):
            layout.run(cell.paragraphs[0], value, size=12)

    ask = layout.para(document)
    ask.paragraph_format.first_line_indent = Cm(1)
    layout.run(ask, request_sentence(org))

    layout.signature(
        document,
        recipients=["- Như trên;", "- CT, các PCT UBND tỉnh;", "- Lưu: VT."],
        authority="TL. CHỦ TỊCH",
        title="CHÁNH VĂN PHÒNG",
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rows(tasks: list[Assignment], today: dt.date) -> list[list[str]]:
    # Overdue or due soon as the dashboard says (status.classify: a task due Friday is overdue
    # on Saturday); an explanation asked where one is due (explanations.due_q, issue 18).
    due = set(
        Assignment.objects.filter(explanations.due_q(today), pk__in=[t.pk for t in tasks])
        .order_by()
        .values_list("pk", flat=True)
    )
    rows = []
    for number, task in enumerate(tasks, 1):
        if namedsets.is_open_overdue(task, today):
            days = workdays.working_days_between(task.deadline, today) if task.deadline else 0
            # The day after a Friday deadline is overdue with no working day gone yet.
            state = f"Quá hạn {days} ngày làm việc" if days > 0 else "Quá hạn"
        else:
            state = "Sắp đến hạn"
        if task.pk in due:
            state += "; đề nghị giải trình"
        deadline = f"{task.deadline:%d/%m/%Y}" if task.deadline else ""
        rows.append([str(number), task.summary, task.directive.ref, deadline, state])
    return rows


def urging_letter_pdf(
    org: Organisation,
    *,
    today: dt.date | None = None,
    issuer: str = "ỦY BAN NHÂN DÂN",
    symbol: str = "UBND-KSTT",
) -> tuple[bytes, bool]:
    """The same letter as PDF, signed with the office's certificate when one is configured
    (issue 17): the signature in its Decree 30 place, under "TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG".
    Returns the file and whether it was signed."""
    today = today or workdays.today()
    fonts = Path(settings.BASE_DIR) / "static" / "fonts"
    html = render_to_string(
        "reminders/urging_letter_pdf.html",
        {
            "org": org,
            "addressee": _addressee(org),
            "rows": _rows(tasks_to_urge(org, today), today),
            "today": today,
            "issuer": issuer,
            "symbol": symbol,
            "request": request_sentence(org),
            "province": settings.NHIEMVU["PROVINCE_NAME"],
            "font_dir": fonts.as_uri(),
            "signature": office_block(),
        },
    )
    pdf, box, page = render_pdf(html, str(fonts))
    return sign_issued(pdf, box=box, page=page, reason="Đôn đốc thực hiện nhiệm vụ được giao")


def _addressee(org: Organisation) -> str:
    if org.kind in LOCALITIES:
        return f"Chủ tịch {org.name}"
    return f"Thủ trưởng {org.name}" if not org.name.startswith("Thủ trưởng") else org.name
