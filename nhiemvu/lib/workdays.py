"""Working days and "today" for the whole system (DESIGN.md rule 9).

Civil servants work Monday to Friday. `holidays.VN` knows Tết, Giỗ Tổ, compensatory days and
announced make-up Saturdays; it lags announcements, so administrators keep an override table
(date → working or not). This module stays free of Django models: the orgs app registers a
loader for that table at start-up (`set_override_loader`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from django.utils import timezone

OverrideLoader = Callable[[], Mapping[dt.date, bool]]

_loader: OverrideLoader | None = None
_cache_lock = threading.Lock()
_cached: tuple[float, Calendar] | None = None
# Other processes learn of an edited override table within this many seconds.
CACHE_SECONDS = 60.0


@dataclass(frozen=True)
class VnYear:
    """What holidays.VN says of one year: the days that are not working days (weekends, public
    holidays, compensatory days; a make-up Saturday is a working day) and the holidays' names."""

    off: frozenset[dt.date]
    names: Mapping[dt.date, str]


# Where each year's VnYear is kept between processes (orgs/apps.py: var/cache/). Working out a
# year of lunar holidays takes ~0.14 s and importing `holidays` ~0.15 s more: most of a cron
# step's planning before any query (issue 28). A file per year and per version of `holidays`,
# which alone decides its content; the override table is applied over it per process (and
# forgotten by `invalidate` when it changes), so the file never needs invalidating.
_year_dir: Path | None = None


def set_year_cache(directory: Path | None) -> None:
    global _year_dir
    _year_dir = directory
    _vn_year.cache_clear()


@lru_cache(maxsize=1)
def _holidays_version() -> str:
    return metadata.version("holidays")


def _year_file(year: int) -> Path | None:
    if _year_dir is None:
        return None
    return _year_dir / f"holidays-vn-{_holidays_version()}-{year}.json"


@lru_cache(maxsize=64)
def _vn_year(year: int) -> VnYear:
    path = _year_file(year)
    if path is not None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return VnYear(
                frozenset(dt.date.fromisoformat(d) for d in data["off"]),
                {dt.date.fromisoformat(d): name for d, name in data["names"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError):
            pass  # not written yet, or unreadable: work it out again
    import holidays  # here: a process whose years are kept never loads it

    found = holidays.country_holidays("VN", years=year)
    first = dt.date(year, 1, 1)
    days = (first + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - first).days))
    year_of = VnYear(
        frozenset(d for d in days if not found.is_working_day(d)),
        {d: str(name) for d, name in sorted(found.items()) if d.year == year},
    )
    if path is not None:
        _keep(path, year_of)
    return year_of


def _keep(path: Path, year_of: VnYear) -> None:
    """Write the year atomically (a whole file or none: processes may race to write it)."""
    data = {
        "off": sorted(d.isoformat() for d in year_of.off),
        "names": {d.isoformat(): name for d, name in year_of.names.items()},
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
        ) as handle:
            json.dump(data, handle, ensure_ascii=False)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only disk: every process works the year out, as before


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
                known = day not in _vn_year(day.year).off
            self._known[day] = known
        return known

    def holiday_name(self, day: dt.date) -> str | None:
        return _vn_year(day.year).names.get(day)

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
