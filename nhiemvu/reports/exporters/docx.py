"""The report as a Word document in the Decree 30 layout, for the Chairman to sign."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings

from nhiemvu.lib import docxlayout as layout
from nhiemvu.orgs.selectors import chairman_name
from nhiemvu.reports.ages import age_buckets
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
        for values in breakdown_lines(breakdown)[:200]:
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
        name=chairman_name(),
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
