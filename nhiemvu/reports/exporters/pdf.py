"""The report as a PDF (WeasyPrint, whole embedded Liberation Serif: split web fonts garble
Vietnamese), signed with the office's certificate where one is configured."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from nhiemvu.directives.files import office_block, sign_issued
from nhiemvu.lib.pdf import render_pdf
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
            "breakdowns": [(t, breakdown_lines(b)[:300]) for t, b in breakdowns],
            "breakdown_head": BREAKDOWN_HEAD,
            "causes_title": CAUSES_TITLE,
            "causes_head": CAUSES_HEAD,
            "cause_lines": cause_lines(causes) if causes else [],
            "cause_lists": cause_lists(causes) if causes else [],
            "buckets": age_buckets(overdue),
            "font_dir": FONT_DIR.as_uri(),
            "province": settings.NHIEMVU["PROVINCE_NAME"],
            "signature": office_block(),
            "signer_name": chairman_name(),
        },
    )
    pdf, box, page = render_pdf(html, str(FONT_DIR))
    # Signed with the office's certificate where one is configured (issue 17), in the place the
    # template marks between the signer's title and name.
    signed, _done = sign_issued(pdf, box=box, page=page, reason="Báo cáo định kỳ")
    return signed
