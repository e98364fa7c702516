"""What every report file writes alike: the national summary's column heads, the numbered lines
with group subtotals, the titles, the breakdowns' and the causes' lines.

Report content is Vietnamese official text (column headers of the national summary), written
here as such rather than through gettext."""

from __future__ import annotations

from typing import Any

from nhiemvu.reports.causes import Causes
from nhiemvu.reports.selectors import Row, Summary

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


def breakdown_lines(summary: Summary) -> list[list[Any]]:
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
        ("Giải trình và bài học kinh nghiệm, theo nguyên nhân", lesson_lines(causes)),
    ]


def lesson_lines(causes: Causes) -> list[list[str]]:
    """The agencies' explanations and lessons grouped by cause, one line per distinct wording
    with every agency that wrote it named (issue 27: the same sentence once per agency made a
    page of repeats): [cause, “explanation”, lesson, agencies]."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for cause, agency, text, remedy in causes.quotes:
        agencies = groups.setdefault((cause, " ".join(text.split()), " ".join(remedy.split())), [])
        if agency not in agencies:
            agencies.append(agency)
    # The causes in the table's order (the most given first); wordings as read within a cause.
    rank = {row.name: index for index, row in enumerate(causes.by_cause)}
    ordered = sorted(groups.items(), key=lambda item: rank.get(item[0][0], len(rank)))
    return [
        [
            f"{cause}: “{text}”",
            f"Bài học: “{remedy}”" if remedy else "",
            ", ".join(sorted(agencies)),
        ]
        for (cause, text, remedy), agencies in ordered
    ]
