from __future__ import annotations

import datetime as dt
from pathlib import Path
from unittest import mock

import pytest

from nhiemvu.lib.workdays import Calendar

D = dt.date
cal = Calendar()


def test_it_knows_tet_2026_is_14_to_22_february() -> None:
    # Official schedule: Tết 2026 off from Saturday 14/2 to Sunday 22/2.
    for day in range(14, 23):
        assert not cal.is_working_day(D(2026, 2, day)), day
    assert cal.is_working_day(D(2026, 2, 13))
    assert cal.is_working_day(D(2026, 2, 23))


def test_it_knows_tet_2025_and_the_swapped_saturday() -> None:
    for day in (25, 26, 27, 28, 29, 30, 31):
        assert not cal.is_working_day(D(2025, 1, day)), day
    assert not cal.is_working_day(D(2025, 2, 1))
    assert not cal.is_working_day(D(2025, 2, 2))
    # Friday 2/5/2025 was given off in exchange for working Saturday 26/4/2025.
    assert cal.is_working_day(D(2025, 4, 26))
    assert not cal.is_working_day(D(2025, 5, 2))


def test_it_knows_culture_day_from_2026() -> None:
    assert not cal.is_working_day(D(2026, 11, 24))
    assert cal.is_working_day(D(2025, 11, 24))


def test_it_adds_working_days_across_tet() -> None:
    # Friday 13/2/2026 + 1 working day = Monday 23/2 (the whole Tết week is off).
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert cal.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)
    assert cal.add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)
    assert cal.add_working_days(D(2026, 3, 11), 0) == D(2026, 3, 11)


def test_it_counts_the_swapped_saturday_as_a_working_day() -> None:
    # Friday 25/4/2025 + 1 = Saturday 26/4 (make-up day); 30/4, 1/5 and 2/5 are off.
    assert cal.add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert cal.add_working_days(D(2025, 4, 29), 1) == D(2025, 5, 5)


def test_it_rolls_a_calendar_period_ending_on_a_day_off_forward() -> None:
    # Civil Code art. 147–148: "trong 30 ngày" from 15/1/2026 ends 14/2 (Tết) → 23/2.
    assert cal.add_calendar_days(D(2026, 1, 15), 30) == D(2026, 2, 23)
    assert cal.add_calendar_days(D(2026, 3, 2), 2) == D(2026, 3, 4)


def test_it_counts_working_days_between_dates() -> None:
    assert cal.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert cal.working_days_between(D(2026, 2, 23), D(2026, 2, 13)) == -1
    assert cal.working_days_between(D(2026, 3, 9), D(2026, 3, 16)) == 5


def test_overrides_win_over_holidays() -> None:
    custom = Calendar({D(2026, 3, 14): True, D(2026, 3, 16): False})
    assert custom.is_working_day(D(2026, 3, 14))  # a Saturday made a working day
    assert not custom.is_working_day(D(2026, 3, 16))
    assert custom.add_working_days(D(2026, 3, 13), 2) == D(2026, 3, 17)


def test_next_working_day() -> None:
    assert cal.next_working_day(D(2026, 2, 14)) == D(2026, 2, 23)
    assert cal.next_working_day(D(2026, 2, 23)) == D(2026, 2, 23)
    assert cal.next_working_day(D(2026, 2, 23), include=False) == D(2026, 2, 24)


def test_a_broken_override_table_fails_loudly() -> None:
    days_off = {D(2026, 1, 1) + dt.timedelta(days=i): False for i in range(500)}
    with pytest.raises(ValueError):
        Calendar(days_off).next_working_day(D(2026, 1, 1))


def test_a_year_kept_on_disk_answers_as_holidays_does_without_loading_it(
    tmp_path: Path,
) -> None:
    import holidays

    from nhiemvu.lib import workdays

    previous = workdays._year_dir
    try:
        workdays.set_year_cache(tmp_path)
        fresh = [Calendar() for _ in range(2)]
        days = [D(2025, 1, 1) + dt.timedelta(days=n) for n in range(730)]
        worked_out = [fresh[0].is_working_day(d) for d in days]
        names = [fresh[0].holiday_name(d) for d in days]
        assert len(list(tmp_path.glob("holidays-vn-*-2025.json"))) == 1
        # The next process: the years come from the files, holidays.VN is not asked.
        workdays._vn_year.cache_clear()
        with mock.patch.object(holidays, "country_holidays", side_effect=AssertionError):
            assert [fresh[1].is_working_day(d) for d in days] == worked_out
            assert [fresh[1].holiday_name(d) for d in days] == names
        reference = holidays.country_holidays("VN", years=[2025, 2026])
        assert worked_out == [reference.is_working_day(d) for d in days]
        assert names[days.index(D(2026, 2, 17))] == reference.get(D(2026, 2, 17))
        # A damaged file is worked out again.
        for path in tmp_path.glob("*.json"):
            path.write_text("{", encoding="utf-8")
        workdays._vn_year.cache_clear()
        assert [Calendar().is_working_day(d) for d in days] == worked_out
    finally:
        workdays.set_year_cache(previous)
