"""Periods of a recurring task: which period today falls in, and the date its report is due."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

FRIDAY = 4
MONTHS_PER = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


@dataclass(frozen=True)
class Period:
    key: str  # "2026-03", "2026-Q1", "2026-H1", "2026", "2026-W11"
    label: str  # as users read it: "tháng 03/2026", "quý I/2026" …
    start: dt.date
    due: dt.date


def _roman(number: int) -> str:
    return ["I", "II", "III", "IV"][number - 1]


def period_of(recurrence: str, day: int | None, today: dt.date) -> Period | None:
    """The period containing `today`, or None for a recurrence we cannot place ("other")."""
    if recurrence == "weekly":
        start = today - dt.timedelta(days=today.weekday())
        weekday = day if day is not None and 0 <= day <= 6 else FRIDAY
        year, week, _ = today.isocalendar()
        return Period(
            f"{year}-W{week:02d}",
            f"tuần {week:02d}/{year}",
            start,
            start + dt.timedelta(days=weekday),
        )
    months = MONTHS_PER.get(recurrence)
    if months is None:
        return None
    index = (today.month - 1) // months  # which period of the year
    first_month = index * months + 1
    last_month = first_month + months - 1
    start = dt.date(today.year, first_month, 1)
    last_day = calendar.monthrange(today.year, last_month)[1]
    due = dt.date(today.year, last_month, min(day, last_day) if day else last_day)
    if months == 1:
        key, label = f"{today.year}-{today.month:02d}", f"tháng {today.month:02d}/{today.year}"
    elif months == 3:
        key, label = f"{today.year}-Q{index + 1}", f"quý {_roman(index + 1)}/{today.year}"
    elif months == 6:
        key, label = (
            f"{today.year}-H{index + 1}",
            f"6 tháng {'đầu' if index == 0 else 'cuối'} năm {today.year}",
        )
    else:
        key, label = f"{today.year}", f"năm {today.year}"
    return Period(key, label, start, due)
