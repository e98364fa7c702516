"""The report as files the Chairman signs: XLSX (Excel, native chart; ``xlsx.py``), DOCX (Decree
30 layout; ``docx.py``), PDF (``pdf.py``), JSON (here). What they write alike (heads, numbered
lines, titles, causes) is in ``lines.py``; ``render`` picks the file for a format."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from nhiemvu.reports.ages import age_buckets
from nhiemvu.reports.causes import Causes
from nhiemvu.reports.exporters.docx import to_docx
from nhiemvu.reports.exporters.lines import Breakdowns
from nhiemvu.reports.exporters.pdf import to_pdf
from nhiemvu.reports.exporters.xlsx import to_xlsx
from nhiemvu.reports.selectors import Summary


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
