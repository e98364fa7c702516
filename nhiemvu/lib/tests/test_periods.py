from __future__ import annotations

import datetime as dt

import pytest

from nhiemvu.lib import periods
from nhiemvu.lib.periods import CALENDAR, PeriodError, containing, parse

D = dt.date


@pytest.mark.parametrize(
    ("key", "start", "end", "label"),
    [
        ("2022-Q1", D(2021, 12, 15), D(2022, 3, 14), "Quý I năm 2022"),  # DOMAIN.md §5 example
        ("2022-Q4", D(2022, 9, 15), D(2022, 12, 14), "Quý IV năm 2022"),
        ("2022-01", D(2021, 12, 15), D(2022, 1, 14), "Tháng 01 năm 2022"),
        ("2022-03", D(2022, 2, 15), D(2022, 3, 14), "Tháng 03 năm 2022"),
        ("2022-H1", D(2021, 12, 15), D(2022, 6, 14), "6 tháng đầu năm 2022"),
        ("2022-H2", D(2022, 6, 15), D(2022, 12, 14), "6 tháng cuối năm 2022"),
        ("2022", D(2021, 12, 15), D(2022, 12, 14), "Năm 2022"),
    ],
)
def test_decree_09_windows(key: str, start: dt.date, end: dt.date, label: str) -> None:
    period = parse(key)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2022-Q1", D(2022, 1, 1), D(2022, 3, 31)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2022-H2", D(2022, 7, 1), D(2022, 12, 31)),
        ("2022", D(2022, 1, 1), D(2022, 12, 31)),
    ],
)
def test_calendar_windows(key: str, start: dt.date, end: dt.date) -> None:
    period = parse(key, rule=CALENDAR)
    assert (period.start, period.end) == (start, end)


def test_previous_periods_cross_year_boundaries() -> None:
    assert parse("2022-Q1").previous().key == "2021-Q4"
    assert parse("2022-01").previous().key == "2021-12"
    assert parse("2022-H1").previous().key == "2021-H2"
    assert parse("2022").previous().key == "2021"
    assert parse("2022-01", rule=CALENDAR).previous().start == D(2021, 12, 1)


def test_the_period_containing_a_day() -> None:
    # Under Decree 09, 20/12/2021 already belongs to Q1 2022 and to the year 2022.
    assert containing(D(2021, 12, 20), "quarter").key == "2022-Q1"
    assert containing(D(2021, 12, 20), "year").key == "2022"
    assert containing(D(2022, 3, 14), "quarter").key == "2022-Q1"
    assert containing(D(2022, 3, 15), "month").key == "2022-04"
    assert containing(D(2022, 3, 15), "quarter", rule=CALENDAR).key == "2022-Q1"


def test_custom_ranges_and_garbage() -> None:
    period = parse("2022-01-01..2022-03-31")
    assert (period.start, period.end, period.kind) == (D(2022, 1, 1), D(2022, 3, 31), "custom")
    for bad in ("", "2022-Q5", "2022-13", "Q1", "1800", "2022-03-01..2022-01-01", "x"):
        with pytest.raises(PeriodError):
            parse(bad)
    with pytest.raises(PeriodError):
        periods.parse("2022", rule="lunar")
