"""Reporting periods (Nghị định 09/2019/NĐ-CP, Điều 12) and calendar periods.

Decree 09 windows run from the 15th of the month before to the 14th: monthly 15/(m-1)–14/m;
quarterly 15th of the month before the quarter to the 14th of its last month; 6-monthly
15/12–14/6 and 15/6–14/12; yearly 15/12 of the previous year–14/12. Provinces may use calendar
months and quarters instead (DOMAIN.md §5): the rule is a setting, both presets are here.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

DECREE_09 = "decree09"
CALENDAR = "calendar"
ROMAN = ["I", "II", "III", "IV"]


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    key: str  # "2022-Q1", "2022-03", "2022-H1", "2022", or "2022-01-01..2022-03-31"
    kind: str  # month, quarter, half, year, custom
    start: dt.date
    end: dt.date
    label: str  # Vietnamese, as printed on reports: "Quý I năm 2022"
    rule: str = DECREE_09

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        """The period before this one, of the same kind and rule."""
        if self.kind == "custom":
            length = self.end - self.start
            return custom(
                self.start - length - dt.timedelta(days=1), self.start - dt.timedelta(days=1)
            )
        year, rest = self.key[:4], self.key[4:]
        year_number = int(year)
        if self.kind == "year":
            return parse(str(year_number - 1), rule=self.rule)
        if self.kind == "half":
            return parse(
                f"{year_number}-H1" if rest == "-H2" else f"{year_number - 1}-H2", rule=self.rule
            )
        if self.kind == "quarter":
            quarter = int(rest[2:])
            return parse(
                f"{year_number}-Q{quarter - 1}" if quarter > 1 else f"{year_number - 1}-Q4",
                rule=self.rule,
            )
        month = int(rest[1:])
        return parse(
            f"{year_number}-{month - 1:02d}" if month > 1 else f"{year_number - 1}-12",
            rule=self.rule,
        )


# The years the calendar and the reports handle (the API's ReportDate states the same).
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _window(year: int, first_month: int, last_month: int, rule: str) -> tuple[dt.date, dt.date]:
    if rule == CALENDAR:
        last_day = pycalendar.monthrange(year, last_month)[1]
        return dt.date(year, first_month, 1), dt.date(year, last_month, last_day)
    # Decree 09: from the 15th of the month before the first month, to the 14th of the last.
    start = dt.date(year - 1, 12, 15) if first_month == 1 else dt.date(year, first_month - 1, 15)
    return start, dt.date(year, last_month, 14)


def parse(text: str, *, rule: str = DECREE_09) -> Period:
    """ "2022-Q1", "2022-03", "2022-H1", "2022", "2022-01-01..2022-03-31" → Period."""
    if rule not in (DECREE_09, CALENDAR):
        raise PeriodError(_("Unknown period rule “%(rule)s”.") % {"rule": rule})
    value = (text or "").strip().upper()
    # ASCII digits only (re.ASCII): "٢٠٢٦" is not a year anyone types (lib/inputs.py).
    custom_match = re.fullmatch(
        r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", value, flags=re.ASCII
    )
    if custom_match:
        try:
            start = dt.date.fromisoformat(custom_match.group(1))
            end = dt.date.fromisoformat(custom_match.group(2))
        except ValueError as exc:
            raise PeriodError(_("A date in “%(text)s” is not valid.") % {"text": text}) from exc
        return custom(start, end)
    matched = re.fullmatch(r"(\d{4})(?:-(Q[1-4]|H[12]|\d{1,2}))?", value, flags=re.ASCII)
    if not matched:
        raise PeriodError(
            _("“%(text)s” is not a period such as 2022-03, 2022-Q1, 2022-H1 or 2022.")
            % {"text": text}
        )
    year = int(matched.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(_("The year %(year)s is out of range.") % {"year": year})
    part = matched.group(2)
    if part is None:
        start, end = _window(year, 1, 12, rule)
        return Period(f"{year}", "year", start, end, f"Năm {year}", rule)
    if part.startswith("Q"):
        quarter = int(part[1])
        start, end = _window(year, 3 * quarter - 2, 3 * quarter, rule)
        return Period(
            f"{year}-Q{quarter}",
            "quarter",
            start,
            end,
            f"Quý {ROMAN[quarter - 1]} năm {year}",
            rule,
        )
    if part.startswith("H"):
        half = int(part[1])
        start, end = _window(year, 1 if half == 1 else 7, 6 if half == 1 else 12, rule)
        label = f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {year}"
        return Period(f"{year}-H{half}", "half", start, end, label, rule)
    month = int(part)
    if not 1 <= month <= 12:
        raise PeriodError(_("The month %(month)s is not valid.") % {"month": month})
    start, end = _window(year, month, month, rule)
    return Period(f"{year}-{month:02d}", "month", start, end, f"Tháng {month:02d} năm {year}", rule)


def custom(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise PeriodError(_("The end date is before the start date."))
    # A report reads the days around its period (the day before, the year before): dates at
    # the ends of the calendar overflowed there (issue 24's fuzz: 31/12/9999 answered 500).
    if start.year < FIRST_YEAR or end.year > LAST_YEAR:
        raise PeriodError(
            _("A period must lie between the years %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return Period(
        f"{start.isoformat()}..{end.isoformat()}",
        "custom",
        start,
        end,
        f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}",
        "custom",
    )


def containing(day: dt.date, kind: str, *, rule: str = DECREE_09) -> Period:
    """The period of `kind` (month, quarter, half, year) that contains `day`."""
    # Under Decree 09 a day after the 14th belongs to the next month's window.
    ref = day
    if rule == DECREE_09 and day.day >= 15:
        ref = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        if day.month == 12 and kind == "year":
            ref = dt.date(day.year + 1, 1, 1)
    if kind == "month":
        return parse(f"{ref.year}-{ref.month:02d}", rule=rule)
    if kind == "quarter":
        return parse(f"{ref.year}-Q{(ref.month - 1) // 3 + 1}", rule=rule)
    if kind == "half":
        return parse(f"{ref.year}-H{1 if ref.month <= 6 else 2}", rule=rule)
    return parse(f"{ref.year}", rule=rule)


# How many of each kind the report form offers, the current one first (older ones can still be
# asked for by key in the address or the API: "2019-Q2").
RECENT = {"month": 12, "quarter": 8, "half": 4, "year": 3}


def recent(today: dt.date, *, rule: str = DECREE_09) -> dict[str, list[Period]]:
    """The periods a report is usually made for, newest first, by kind."""
    found: dict[str, list[Period]] = {}
    for kind, count in RECENT.items():
        period = containing(today, kind, rule=rule)
        found[kind] = [period]
        while len(found[kind]) < count:
            found[kind].append(found[kind][-1].previous())
    return found
