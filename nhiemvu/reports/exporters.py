"""The report as files the Chairman signs: XLSX (Excel, native chart), DOCX (Decree 30 layout),
PDF (WeasyPrint, whole embedded Liberation Serif: split web fonts garble Vietnamese), JSON.

Report content is Vietnamese official text (column headers of the national summary), written
here as such rather than through gettext."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from nhiemvu.directives.signing import office_block, sign_issued
from nhiemvu.lib import docxlayout as layout
from nhiemvu.lib import signatures, spreadsheets
from nhiemvu.reports.selectors import Causes, Row, Summary, age_buckets

HEAD_1 = [
    "STT",
    "Cơ quan, đơn vị",
    "Tổng số nhiệm vụ",
    "Đã hoàn thành",
    "",
    "",
    "Chưa hoàn thành",
    "",
    "",
    "Không có thời hạn",
    "Tạm hoãn",
    "Tỷ lệ hoàn thành (%)",
    "Tỷ lệ đúng hạn (%)",
]
HEAD_2 = ["", "", "", "Tổng", "Đúng hạn", "Quá hạn", "Tổng", "Trong hạn", "Quá hạn", "", "", "", ""]


# Further tables of the same figures: ("Theo lãnh đạo giao", summary), ("Theo văn bản", …).
Breakdowns = list[tuple[str, Summary]] | tuple[()]
BREAKDOWN_HEAD = [
    "",
    "Tổng số",
    "Đã hoàn thành",
    "Đúng hạn",
    "Quá hạn",
    "Chưa hoàn thành",
    "Trong hạn",
    "Quá hạn",
    "Không có thời hạn",
    "Tạm hoãn",
    "Tỷ lệ hoàn thành (%)",
    "Tỷ lệ đúng hạn (%)",
]


def _breakdown_lines(summary: Summary) -> list[list[Any]]:
    return [[row.name, *_numbers(row)] for row in [*summary.rows, summary.total]]


def _numbers(row: Row) -> list[Any]:
    return [
        row.total,
        row.done,
        row.done_on_time,
        row.done_late,
        row.open,
        row.open_within,
        row.open_overdue,
        row.no_deadline,
        row.paused,
        float(row.completion_rate) if row.completion_rate is not None else None,
        float(row.on_time_rate) if row.on_time_rate is not None else None,
    ]


def summary_lines(summary: Summary) -> list[tuple[str, str, list[Any], bool]]:
    """(number, name, figures, is_total) lines: groups by kind with subtotals, then the total."""
    out: list[tuple[str, str, list[Any], bool]] = []
    number = 0
    groups = summary.groups or [("", summary.rows, summary.total)]
    for group, members, subtotal in groups:
        if group:
            out.append(("", group.upper(), _numbers(subtotal), True))
        for row in members:
            number += 1
            out.append((str(number), row.name, _numbers(row), False))
    out.append(("", "TỔNG CỘNG", _numbers(summary.total), True))
    return out


def title(summary: Summary) -> str:
    return (
        f"Tình hình thực hiện nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao — "
        f"{summary.period.label}"
    )


def subtitle(summary: Summary) -> str:
    period = summary.period
    return (
        f"(Số liệu từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}, "
        f"tình trạng tính đến ngày {summary.as_of:%d/%m/%Y})"
    )


CAUSES_TITLE = "Nguyên nhân chậm và bài học kinh nghiệm"
CAUSES_HEAD = ["Nguyên nhân", "Hoàn thành trễ hạn", "Quá hạn chưa hoàn thành", "Cộng"]


def cause_lines(causes: Causes) -> list[list[Any]]:
    """The causes table, one line per cause, as every file writes it."""
    return [[r.name, r.late, r.overdue, r.total] for r in causes.by_cause]


def cause_lists(causes: Causes) -> list[tuple[str, list[list[str]]]]:
    """The lists under the table: who waited for whom, by agency, and the agencies' own words."""
    return [
        (
            "Chậm do chờ cơ quan khác",
            [[f"{a} chờ {b}", f"{n} nhiệm vụ"] for a, b, n in causes.held_up[:50]],
        ),
        (
            "Theo cơ quan",
            [[a, c, f"{n} nhiệm vụ"] for a, c, n in causes.by_agency[:100]],
        ),
        (
            "Theo lãnh đạo giao nhiệm vụ",
            [[a, c, f"{n} nhiệm vụ"] for a, c, n in causes.by_leader[:50]],
        ),
        (
            "Giải trình và bài học kinh nghiệm của các cơ quan",
            [
                [f"{a} ({c})", f"“{t}”", f"Bài học: “{r}”" if r else ""]
                for c, a, t, r in causes.quotes
            ],
        ),
    ]


def to_json(
    summary: Summary,
    overdue: list[dict[str, Any]],
    late: list[dict[str, Any]],
    breakdowns: Breakdowns = (),
    causes: Causes | None = None,
) -> bytes:
    def default(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        raise TypeError(type(value))

    data = {
        "period": {
            "key": summary.period.key,
            "start": summary.period.start,
            "end": summary.period.end,
            "label": summary.period.label,
            "rule": summary.period.rule,
        },
        "as_of": summary.as_of,
        "rows": [r.as_dict() for r in summary.rows],
        "total": summary.total.as_dict(),
        "overdue_pending": overdue,
        "overdue_age_buckets": dict(age_buckets(overdue)),
        "completed_late": late,
        "breakdowns": {title: [r.as_dict() for r in b.rows] for title, b in breakdowns},
        "causes": causes.as_dict() if causes else None,
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=default).encode()


def to_xlsx(
    summary: Summary,
    overdue: list[dict[str, Any]],
    late: list[dict[str, Any]],
    breakdowns: Breakdowns = (),
    causes: Causes | None = None,
) -> bytes:
    buffer = io.BytesIO()
    book = spreadsheets.workbook(buffer, {"in_memory": True, "default_date_format": "dd/mm/yyyy"})
    bold = book.add_format({"bold": True, "font_name": "Times New Roman"})
    head = book.add_format(
        {
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "bg_color": "#D9E1F2",
            "font_name": "Times New Roman",
        }
    )
    cell = book.add_format({"border": 1, "font_name": "Times New Roman"})
    number = book.add_format({"border": 1, "num_format": "#,##0", "font_name": "Times New Roman"})
    rate = book.add_format({"border": 1, "num_format": "0.00", "font_name": "Times New Roman"})
    total = book.add_format(
        {"border": 1, "bold": True, "num_format": "#,##0", "font_name": "Times New Roman"}
    )
    date = book.add_format(
        {"border": 1, "num_format": "dd/mm/yyyy", "font_name": "Times New Roman"}
    )

    sheet = book.add_worksheet("Tổng hợp")
    sheet.write(0, 0, title(summary), bold)
    sheet.write(1, 0, subtitle(summary))
    for col, text in enumerate(HEAD_1):
        sheet.write(3, col, text, head)
    for col, text in enumerate(HEAD_2):
        sheet.write(4, col, text, head)
    for first, last in ((0, 0), (1, 1), (2, 2), (9, 9), (10, 10), (11, 11), (12, 12)):
        sheet.merge_range(3, first, 4, last, HEAD_1[first], head)
    sheet.merge_range(3, 3, 3, 5, "Đã hoàn thành", head)
    sheet.merge_range(3, 6, 3, 8, "Chưa hoàn thành", head)
    row_index = 5
    chart_rows = []
    for stt, name, figures, is_total in summary_lines(summary):
        sheet.write(row_index, 0, stt, cell)
        sheet.write(row_index, 1, name, total if is_total else cell)
        for col, value in enumerate(figures, start=2):
            fmt = rate if col >= 11 else (total if is_total else number)
            sheet.write(row_index, col, value if value is not None else "", fmt)
        if not is_total:
            chart_rows.append(row_index)
        row_index += 1
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 42)
    sheet.set_column(2, 12, 11)
    sheet.freeze_panes(5, 2)
    sheet.autofilter(4, 0, row_index - 1, 12)
    if chart_rows:
        chart = book.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "Tỷ lệ hoàn thành (%)",
                "categories": ["Tổng hợp", chart_rows[0], 1, chart_rows[-1], 1],
                "values": ["Tổng hợp", chart_rows[0], 11, chart_rows[-1], 11],
            }
        )
        chart.set_title({"name": "Tỷ lệ hoàn thành theo cơ quan"})
        chart.set_size({"width": 720, "height": max(300, 18 * len(chart_rows))})
        sheet.insert_chart(row_index + 2, 1, chart)

    for heading, breakdown in breakdowns:
        ws = book.add_worksheet(heading[:31])
        for col, text in enumerate([heading, *BREAKDOWN_HEAD[1:]]):
            ws.write(0, col, text, head)
        for r, values in enumerate(_breakdown_lines(breakdown), start=1):
            for col, value in enumerate(values):
                fmt = rate if col >= 10 else (cell if col == 0 else number)
                ws.write(r, col, value if value is not None else "", fmt)
        ws.set_column(0, 0, 50)
        ws.set_column(1, 11, 12)
        ws.freeze_panes(1, 1)
    if causes is not None:
        ws = book.add_worksheet("Nguyên nhân chậm")
        ws.write(0, 0, CAUSES_TITLE, head)
        row = 2
        for col, text in enumerate(CAUSES_HEAD):
            ws.write(row, col, text, head)
        for values in cause_lines(causes):
            row += 1
            for col, value in enumerate(values):
                ws.write(row, col, value, cell if col == 0 else number)
        for heading, lines in cause_lists(causes):
            row += 2
            ws.write(row, 0, heading, head)
            for values in lines:
                row += 1
                for col, value in enumerate(values):
                    ws.write(row, col, value, cell)
        ws.set_column(0, 0, 50)
        ws.set_column(1, 3, 30)

    lists = [
        (
            "Quá hạn tồn đọng",
            [
                "Mã",
                "Nhiệm vụ",
                "Cơ quan chủ trì",
                "Văn bản giao",
                "Thời hạn",
                "Số ngày quá hạn",
                "Nhóm",
            ],
            [
                [
                    o["code"],
                    o["summary"],
                    o["lead"],
                    o["document"],
                    o["deadline"],
                    o["days_overdue"],
                    o["bucket"],
                ]
                for o in overdue
            ],
        ),
        (
            "Hoàn thành trễ hạn",
            [
                "Mã",
                "Nhiệm vụ",
                "Cơ quan chủ trì",
                "Văn bản giao",
                "Thời hạn",
                "Ngày hoàn thành",
                "Số ngày trễ",
            ],
            [
                [
                    o["code"],
                    o["summary"],
                    o["lead"],
                    o["document"],
                    o["deadline"],
                    o["completed"],
                    o["days_late"],
                ]
                for o in late
            ],
        ),
    ]
    for name, headers, rows in lists:
        ws = book.add_worksheet(name)
        for col, text in enumerate(headers):
            ws.write(0, col, text, head)
        for r, values in enumerate(rows, start=1):
            for col, value in enumerate(values):
                if isinstance(value, dt.date):
                    ws.write_datetime(r, col, dt.datetime.combine(value, dt.time()), date)
                else:
                    ws.write(r, col, value if value is not None else "", cell)
        ws.set_column(1, 1, 60)
        ws.set_column(2, 3, 28)
        ws.set_column(4, 6, 14)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(1, len(rows)), len(headers) - 1)
    book.close()
    return buffer.getvalue()


def to_docx(
    summary: Summary,
    overdue: list[dict[str, Any]],
    late: list[dict[str, Any]],
    breakdowns: Breakdowns = (),
    *,
    province: str | None = None,
    causes: Causes | None = None,
) -> bytes:
    province = province or settings.NHIEMVU["PROVINCE_NAME"]
    document = layout.new_document(landscape=True)
    layout.header(
        document,
        issuer_lines=["ỦY BAN NHÂN DÂN", f"TỈNH {province.upper()}"],
        symbol="BC-UBND",
        subject=None,
        place=province,
        day=summary.as_of,
    )
    layout.para(document, "BÁO CÁO", bold=True, center=True, size=14)
    layout.para(document, title(summary), bold=True, center=True)
    layout.para(document, subtitle(summary), italic=True, center=True, size=12)
    table = document.add_table(rows=2, cols=len(HEAD_1))
    table.style = "Table Grid"
    for col, (a, b) in enumerate(zip(HEAD_1, HEAD_2, strict=True)):
        layout.run(table.rows[0].cells[col].paragraphs[0], a, bold=True, size=10)
        layout.run(table.rows[1].cells[col].paragraphs[0], b, bold=True, size=10)
    for stt, name, figures, is_total in summary_lines(summary):
        cells = table.add_row().cells
        values = [stt, name] + [
            ""
            if v is None
            else (f"{v:.2f}" if isinstance(v, float) else f"{v:,}".replace(",", "."))
            for v in figures
        ]
        for c, value in zip(cells, values, strict=True):
            layout.run(c.paragraphs[0], value, bold=is_total, size=10)
    layout.para(document, "")
    layout.para(
        document,
        f"Nhiệm vụ quá hạn còn tồn đọng: {len(overdue)} nhiệm vụ "
        f"({'; '.join(f'{k}: {v}' for k, v in age_buckets(overdue))}).",
        indent=True,
    )
    layout.para(
        document, f"Nhiệm vụ hoàn thành trễ hạn trong kỳ: {len(late)} nhiệm vụ.", indent=True
    )
    if overdue:
        lst = document.add_table(rows=1, cols=5)
        lst.style = "Table Grid"
        for c, text in zip(
            lst.rows[0].cells,
            ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Số ngày quá hạn"],
            strict=True,
        ):
            layout.run(c.paragraphs[0], text, bold=True, size=10)
        for i, item in enumerate(overdue[:300], 1):
            cells = lst.add_row().cells
            for c, text in zip(
                cells,
                [
                    str(i),
                    item["summary"],
                    item["lead"],
                    f"{item['deadline']:%d/%m/%Y}",
                    str(item["days_overdue"]),
                ],
                strict=True,
            ):
                layout.run(c.paragraphs[0], text, size=10)
    for heading, breakdown in breakdowns:
        layout.para(document, heading, bold=True)
        table = document.add_table(rows=1, cols=len(BREAKDOWN_HEAD))
        table.style = "Table Grid"
        for c, text in zip(table.rows[0].cells, [heading, *BREAKDOWN_HEAD[1:]], strict=True):
            layout.run(c.paragraphs[0], text, bold=True, size=9)
        for values in _breakdown_lines(breakdown)[:200]:
            cells = table.add_row().cells
            for c, value in zip(cells, values, strict=True):
                text = (
                    ""
                    if value is None
                    else (f"{value:.2f}" if isinstance(value, float) else str(value))
                )
                layout.run(c.paragraphs[0], text, size=9)
    if causes is not None:
        layout.para(document, CAUSES_TITLE, bold=True)
        table = document.add_table(rows=1, cols=len(CAUSES_HEAD))
        table.style = "Table Grid"
        for c, text in zip(table.rows[0].cells, CAUSES_HEAD, strict=True):
            layout.run(c.paragraphs[0], text, bold=True, size=10)
        for values in cause_lines(causes):
            for c, value in zip(table.add_row().cells, values, strict=True):
                layout.run(c.paragraphs[0], str(value), size=10)
        for heading, lines in cause_lists(causes):
            layout.para(document, heading, bold=True)
            for values in lines[:30]:
                layout.para(document, "- " + " — ".join(str(v) for v in values if v))
    layout.signature(
        document,
        recipients=["- Chủ tịch, các PCT UBND tỉnh;", "- Lưu: VT."],
        authority="TM. ỦY BAN NHÂN DÂN",
        title="CHỦ TỊCH",
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


def to_pdf(
    summary: Summary,
    overdue: list[dict[str, Any]],
    late: list[dict[str, Any]],
    breakdowns: Breakdowns = (),
    causes: Causes | None = None,
) -> bytes:
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "summary": summary,
            "lines": summary_lines(summary),
            "head1": HEAD_1,
            "head2": HEAD_2,
            "title": title(summary),
            "subtitle": subtitle(summary),
            "overdue": overdue[:1000],
            "late": late[:1000],
            "breakdowns": [(t, _breakdown_lines(b)[:300]) for t, b in breakdowns],
            "breakdown_head": BREAKDOWN_HEAD,
            "causes_title": CAUSES_TITLE,
            "causes_head": CAUSES_HEAD,
            "cause_lines": cause_lines(causes) if causes else [],
            "cause_lists": cause_lists(causes) if causes else [],
            "buckets": age_buckets(overdue),
            "font_dir": FONT_DIR.as_uri(),
            "province": settings.NHIEMVU["PROVINCE_NAME"],
            "signature": office_block(),
        },
    )
    pdf, box, page = signatures.render_pdf(html, str(FONT_DIR))
    # Signed with the office's certificate where one is configured (issue 17), in the place the
    # template marks between the signer's title and name.
    signed, _done = sign_issued(pdf, box=box, page=page, reason="Báo cáo định kỳ")
    return signed


def render(
    fmt: str,
    summary: Summary,
    overdue: list[dict[str, Any]],
    late: list[dict[str, Any]],
    breakdowns: Breakdowns = (),
    causes: Causes | None = None,
) -> tuple[bytes, str, str]:
    """(content, MIME type, file extension)."""
    if fmt == "xlsx":
        return (
            to_xlsx(summary, overdue, late, breakdowns, causes),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    if fmt == "docx":
        return (
            to_docx(summary, overdue, late, breakdowns, causes=causes),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        )
    if fmt == "pdf":
        return to_pdf(summary, overdue, late, breakdowns, causes), "application/pdf", "pdf"
    return to_json(summary, overdue, late, breakdowns, causes), "application/json", "json"
