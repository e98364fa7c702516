"""The report as an Excel workbook: the summary with its native chart, the overdue and late
lists, the breakdowns and the causes, each on its sheet."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from nhiemvu.lib import spreadsheets
from nhiemvu.reports.causes import Causes
from nhiemvu.reports.exporters.lines import (
    BREAKDOWN_HEAD,
    CAUSES_HEAD,
    CAUSES_TITLE,
    HEAD_1,
    HEAD_2,
    Breakdowns,
    breakdown_lines,
    cause_lines,
    cause_lists,
    subtitle,
    summary_lines,
    title,
)
from nhiemvu.reports.selectors import Summary


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
        for r, values in enumerate(breakdown_lines(breakdown), start=1):
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
