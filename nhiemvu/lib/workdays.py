"""Working days and "today" for the whole system (DESIGN.md rule 9).

Civil servants work Monday to Friday. `holidays.VN` knows Tết, Giỗ Tổ, compensatory days and
announced make-up Saturdays; it lags announcements, so administrators keep an override table
(date → working or not). This module stays free of Django models: the orgs app registers a
loader for that table at start-up (`set_override_loader`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache

import holidays
from django.utils import timezone

OverrideLoader = Callable[[], Mapping[dt.date, bool]]

_loader: OverrideLoader | None = None
_cache_lock = threading.Lock()
_cached: tuple[float, Calendar] | None = None
# Other processes learn of an edited override table within this many seconds.
CACHE_SECONDS = 60.0


@lru_cache(maxsize=64)
def _vn_year(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


class Calendar:
    """Working-day arithmetic over holidays.VN plus overrides (override wins)."""

    def __init__(self, overrides: Mapping[dt.date, bool] | None = None) -> None:
        self.overrides: dict[dt.date, bool] = dict(overrides or {})
        # Answers already computed: a morning's reminder plan asks about the same few hundred
        # dates tens of thousands of times (holidays' own check costs ~15 µs a call).
        self._known: dict[dt.date, bool] = {}

    def is_working_day(self, day: dt.date) -> bool:
        known = self._known.get(day)
        if known is None:
            if day in self.overrides:
                known = self.overrides[day]
            else:
                known = bool(_vn_year(day.year).is_working_day(day))
            self._known[day] = known
        return known

    def holiday_name(self, day: dt.date) -> str | None:
        name = _vn_year(day.year).get(day)
        return str(name) if name else None

    def next_working_day(self, day: dt.date, *, include: bool = True) -> dt.date:
        """The first working day on or after `day` (strictly after when include=False)."""
        current = day if include else day + dt.timedelta(days=1)
        for _ in range(400):
            if self.is_working_day(current):
                return current
            current += dt.timedelta(days=1)
        raise ValueError("no working day within 400 days")  # a broken override table

    def previous_working_day(self, day: dt.date, *, include: bool = True) -> dt.date:
        current = day if include else day - dt.timedelta(days=1)
        for _ in range(400):
            if self.is_working_day(current):
                return current
            current -= dt.timedelta(days=1)
        raise ValueError("no working day within 400 days")

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The date `count` working days after `day` (`day` itself not counted).

        "trong 05 ngày làm việc kể từ ngày 08/3" ends on the 5th working day after 08/3.
        Negative counts go backwards; zero returns `day` unchanged.
        """
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        current = day
        while remaining:
            current += dt.timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        days = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                days += 1
        return days

    def add_calendar_days(self, day: dt.date, count: int) -> dt.date:
        """Calendar-day period (Civil Code art. 147–148): a last day off work rolls forward."""
        return self.next_working_day(day + dt.timedelta(days=count))


def override_loader() -> OverrideLoader | None:
    return _loader


def set_override_loader(loader: OverrideLoader | None) -> None:
    global _loader
    _loader = loader
    invalidate()


def invalidate() -> None:
    global _cached
    with _cache_lock:
        _cached = None


def calendar() -> Calendar:
    """The calendar in force: holidays.VN plus the administrators' overrides, cached briefly."""
    global _cached
    with _cache_lock:
        if _cached and time.monotonic() - _cached[0] < CACHE_SECONDS:
            return _cached[1]
    cal = Calendar(_loader() if _loader else None)
    with _cache_lock:
        _cached = (time.monotonic(), cal)
    return cal


_clock = threading.local()


@contextlib.contextmanager
def clock(at: dt.datetime) -> Iterator[None]:
    """Run services as if it were `at` (this thread only).

    For loading a history (the demo province, imports of past records), so that events carry
    the dates they really had. Tests use time-machine instead.
    """
    if timezone.is_naive(at):
        raise ValueError("clock() needs an aware datetime")
    previous = getattr(_clock, "at", None)
    _clock.at = at
    try:
        yield
    finally:
        _clock.at = previous


def now() -> dt.datetime:
    """The aware current time; the only clock the system reads."""
    fixed = getattr(_clock, "at", None)
    return fixed if fixed is not None else timezone.now()


def today() -> dt.date:
    """Today's date in the province's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.localdate(now())


def is_working_day(day: dt.date) -> bool:
    return calendar().is_working_day(day)


def add_working_days(day: dt.date, count: int) -> dt.date:
    return calendar().add_working_days(day, count)


def next_working_day(day: dt.date, *, include: bool = True) -> dt.date:
    return calendar().next_working_day(day, include=include)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return calendar().working_days_between(start, end)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (earlier when negative), the month's last
    day when it has fewer days (31/5 − 3 months = 28/2 or 29/2)."""
    import calendar as pycalendar

    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, pycalendar.monthrange(year, month + 1)[1]))


def add_calendar_days(day: dt.date, count: int) -> dt.date:
    return calendar().add_calendar_days(day, count)


def parse_instant(value: str | None) -> dt.datetime | None:
    """An ISO date-time typed by an operator (``--now 2026-03-13T08:00``), aware in the
    province's time zone; None when not given. ValueError, in Vietnamese, when it is not one."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"--now: “{value}” không phải thời điểm ISO (YYYY-MM-DDTHH:MM).") from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
