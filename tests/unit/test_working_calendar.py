"""Known answers for the working calendar, its time limits, and the calendars built from data.

Local times are Asia/Shanghai (UTC+8, no daylight saving) unless a test says otherwise;
the default working periods are 08:30–12:00 and 14:00–18:00 (7.5 h a day).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar  # type: ignore[import-untyped]
import pytest

from civicgrid.adapters.holidays import (
    calendar_from_mapping,
    china_calendar,
    chinese_calendar_years,
)
from civicgrid.domain.calendar import LimitUnit, TimeLimit, WorkingCalendar, WorkingPeriod

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = 3600.0
PLAIN = WorkingCalendar("Asia/Shanghai")
CHINA_2026 = china_calendar(range(2026, 2027))


def cst(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime:
    """A Shanghai wall-clock time as the aware UTC instant the calendar deals in."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


# -- adding and subtracting working time ---------------------------------------------------


def test_friday_1700_plus_two_working_hours_lands_on_monday_0930() -> None:
    assert PLAIN.add_working(cst(3, 6, 17), 2 * HOUR) == cst(3, 9, 9, 30)


def test_results_come_back_as_aware_utc() -> None:
    result = PLAIN.add_working(cst(3, 6, 17), 2 * HOUR)
    assert result.tzinfo is UTC
    assert result == datetime(2026, 3, 9, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "hours", "end"),
    [
        (cst(3, 6, 16), 2, cst(3, 6, 18)),  # Friday 18:00, not Monday 08:30
        (cst(3, 6, 10), 2, cst(3, 6, 12)),  # 12:00, not 14:00
        (cst(3, 6, 12, 30), 0.5, cst(3, 6, 14, 30)),  # from the lunch break
        (cst(3, 7, 10), 1, cst(3, 9, 9, 30)),  # from a Saturday
    ],
)
def test_a_sum_that_ends_with_a_period_lands_on_that_periods_end(
    start: datetime, hours: float, end: datetime
) -> None:
    assert PLAIN.add_working(start, hours * HOUR) == end


def test_adding_nothing_returns_the_start_even_outside_working_time() -> None:
    assert PLAIN.add_working(cst(3, 7, 22), 0) == cst(3, 7, 22)


def test_subtracting_lands_on_a_periods_start_not_the_previous_periods_end() -> None:
    assert PLAIN.subtract_working(cst(3, 9, 10), 1.5 * HOUR) == cst(3, 9, 8, 30)
    assert PLAIN.subtract_working(cst(3, 9, 15), 1 * HOUR) == cst(3, 9, 14)


def test_subtracting_crosses_the_weekend_backwards() -> None:
    assert PLAIN.subtract_working(cst(3, 9, 10), 2 * HOUR) == cst(3, 6, 17, 30)


def test_working_seconds_between_two_instants() -> None:
    assert PLAIN.working_seconds(cst(3, 6, 17), cst(3, 9, 9, 30)) == 2 * HOUR
    assert PLAIN.working_seconds(cst(3, 9), cst(3, 16)) == 5 * 7.5 * HOUR
    assert PLAIN.working_seconds(cst(3, 7, 9), cst(3, 7, 17)) == 0


def test_years_of_working_time_are_added_and_taken_away_again() -> None:
    start = cst(3, 9, 9, 15)
    far = PLAIN.add_working(start, 10 * 250 * 7.5 * HOUR)
    assert far.year in (2035, 2036)
    assert PLAIN.subtract_working(far, 10 * 250 * 7.5 * HOUR) == start


# -- holidays and 调休 ----------------------------------------------------------------------


def test_national_day_2026_is_skipped() -> None:
    # Wednesday 30 September 17:00; 1–7 October are off; Thursday 8 October is worked.
    assert CHINA_2026.add_working(cst(9, 30, 17), 2 * HOUR) == cst(10, 8, 9, 30)


def test_five_working_days_over_national_day_2026_use_the_adjusted_saturday() -> None:
    # 30 Sep, 8 Oct, 9 Oct, Saturday 10 Oct (调休) and Monday 12 Oct.
    limit = TimeLimit(5, LimitUnit.WORKING_DAYS)
    assert CHINA_2026.deadline(cst(9, 29, 9), limit) == cst(10, 12, 9)


def test_the_fortnight_around_national_day_2026_has_six_working_days() -> None:
    worked = CHINA_2026.working_seconds(cst(9, 28), cst(10, 12))
    assert worked == 6 * 7.5 * HOUR


def test_an_adjusted_saturday_is_a_working_day() -> None:
    saturday = date(2026, 10, 10)
    assert saturday.isoweekday() == 6
    assert CHINA_2026.is_working_day(saturday)
    assert not PLAIN.is_working_day(saturday)
    assert CHINA_2026.add_working(cst(10, 10, 9), HOUR) == cst(10, 10, 10)


def test_a_weekday_holiday_is_not_worked() -> None:
    assert not CHINA_2026.is_working_day(date(2026, 10, 1))  # a Thursday
    assert CHINA_2026.working_seconds(cst(10, 1), cst(10, 2)) == 0


def test_twenty_three_years_agree_with_the_chinese_calendar_package_day_by_day() -> None:
    known = chinese_calendar_years()
    calendar = china_calendar()
    first, last = date(known.start, 1, 1), date(known.stop - 1, 12, 31)
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    working_days = sum(1 for day in days if chinese_calendar.is_workday(day))
    start = cst(1, 1, year=known.start)
    assert calendar.working_seconds(start, cst(1, 1, year=known.stop)) == working_days * 7.5 * HOUR


# -- zones -------------------------------------------------------------------------------------


def test_shanghai_has_the_same_working_day_all_year() -> None:
    for month in (1, 7):
        (morning, _), (afternoon, _) = PLAIN.working_periods_on(date(2026, month, 6))
        assert morning == datetime(2026, month, 6, 0, 30, tzinfo=UTC)
        assert afternoon == datetime(2026, month, 6, 6, tzinfo=UTC)
    weekdays = sum(1 for n in range(365) if (date(2026, 1, 1) + timedelta(n)).isoweekday() < 6)
    assert PLAIN.working_seconds(cst(1, 1), cst(1, 1, year=2027)) == weekdays * 7.5 * HOUR


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        (date(2026, 3, 28), 3),  # an ordinary Saturday
        (date(2026, 3, 29), 2),  # clocks go forward at 02:00: the hour 02:00–03:00 never happens
        (date(2026, 10, 25), 4),  # clocks go back at 03:00: the hour 02:00–03:00 happens twice
    ],
)
def test_a_period_on_a_daylight_saving_day_lasts_as_long_as_the_clock_ran(
    day: date, hours: int
) -> None:
    night_shift = WorkingCalendar(
        "Europe/Berlin", (WorkingPeriod(time(1), time(4)),), weekend=frozenset()
    )
    start = datetime.combine(day, time(0), tzinfo=ZoneInfo("Europe/Berlin"))
    assert night_shift.working_seconds(start, start + timedelta(days=1)) == hours * HOUR


def test_a_round_the_clock_period_works_the_whole_day() -> None:
    always = WorkingCalendar("Asia/Shanghai", (WorkingPeriod.parse("00:00-24:00"),))
    assert always.working_seconds(cst(3, 9), cst(3, 16)) == 5 * 24 * HOUR
    assert always.add_working(cst(3, 6, 23), 2 * HOUR) == cst(3, 9, 1)


# -- holds (excluded intervals) ----------------------------------------------------------------


def test_overlapping_holds_are_taken_out_once() -> None:
    holds = [(cst(3, 9, 9), cst(3, 9, 10)), (cst(3, 9, 9, 30), cst(3, 9, 10, 30))]
    assert PLAIN.working_seconds(cst(3, 9, 8, 30), cst(3, 9, 12), excluded=holds) == 2 * HOUR


def test_adding_working_time_skips_a_hold() -> None:
    hold = [(cst(3, 9, 9, 30), cst(3, 9, 10, 30))]
    assert PLAIN.add_working(cst(3, 9, 9), HOUR, excluded=hold) == cst(3, 9, 11)
    assert PLAIN.subtract_working(cst(3, 9, 11), HOUR, excluded=hold) == cst(3, 9, 9)


def test_a_hold_outside_working_hours_changes_nothing() -> None:
    weekend_hold = [(cst(3, 7, 9), cst(3, 8, 18))]
    assert PLAIN.add_working(cst(3, 6, 17), 2 * HOUR, excluded=weekend_hold) == cst(3, 9, 9, 30)


# -- time limits -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "deadline"),
    [
        (TimeLimit(2, LimitUnit.WORKING_HOURS), cst(3, 9, 9, 30)),
        (TimeLimit(1, LimitUnit.WORKING_DAYS), cst(3, 9, 17)),
        (TimeLimit(0.5, LimitUnit.WORKING_DAYS), cst(3, 9, 11, 15)),
        (TimeLimit(90, LimitUnit.MINUTES), cst(3, 6, 18, 30)),
        (TimeLimit(24, LimitUnit.HOURS), cst(3, 7, 17)),
        (TimeLimit(2, LimitUnit.DAYS), cst(3, 8, 17)),
    ],
)
def test_a_limit_from_friday_1700_in_each_unit(limit: TimeLimit, deadline: datetime) -> None:
    assert PLAIN.deadline(cst(3, 6, 17), limit) == deadline


def test_calendar_hours_stop_while_on_hold() -> None:
    hold = [(cst(3, 6, 20), cst(3, 6, 22))]
    assert PLAIN.deadline(cst(3, 6, 17), TimeLimit(24, LimitUnit.HOURS), hold) == cst(3, 7, 19)


@pytest.mark.parametrize(
    ("unit", "value"),
    [
        (LimitUnit.WORKING_HOURS, 2.0),
        (LimitUnit.WORKING_DAYS, 2 / 7.5),
        (LimitUnit.MINUTES, 64.5 * 60),
        (LimitUnit.HOURS, 64.5),
        (LimitUnit.DAYS, 64.5 / 24),
    ],
)
def test_elapsed_time_in_each_unit(unit: LimitUnit, value: float) -> None:
    assert PLAIN.elapsed(cst(3, 6, 17), cst(3, 9, 9, 30), unit) == pytest.approx(value)


def test_time_limits_parse_in_chinese_and_english() -> None:
    assert TimeLimit.parse("3 工作日") == TimeLimit(3, LimitUnit.WORKING_DAYS)
    assert TimeLimit.parse("0.5working_hours") == TimeLimit(0.5, LimitUnit.WORKING_HOURS)
    assert str(TimeLimit(2, LimitUnit.HOURS)) == "2 小时"
    with pytest.raises(ValueError, match="unknown time-limit unit 'weeks'"):
        TimeLimit.parse("2 weeks")


# -- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda at: PLAIN.working_seconds(at, cst(3, 9)),
        lambda at: PLAIN.add_working(at, HOUR),
        lambda at: PLAIN.subtract_working(at, HOUR),
        lambda at: PLAIN.add_working(cst(3, 9), HOUR, excluded=[(at, cst(3, 10))]),
        lambda at: PLAIN.is_working_time(at),
    ],
)
def test_naive_datetimes_are_refused(call: Any) -> None:
    with pytest.raises(ValueError, match="must be timezone-aware"):
        call(datetime(2026, 3, 9, 9))  # noqa: DTZ001 - the point of the test


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: WorkingCalendar("Asia/Nowhere"), "unknown time zone 'Asia/Nowhere'"),
        (lambda: WorkingCalendar("UTC", periods=()), "at least one working period"),
        (
            lambda: WorkingCalendar("UTC", tuple(map(WorkingPeriod.parse, ["09-12", "1"]))),
            "is not a period",
        ),
        (
            lambda: WorkingCalendar(
                "UTC", (WorkingPeriod.parse("09:00-12:00"), WorkingPeriod.parse("11:00-13:00"))
            ),
            "overlap or are out of order",
        ),
        (lambda: WorkingPeriod.parse("12:00-09:00"), "start must be before end"),
        (lambda: WorkingPeriod.parse("08:30-24:30"), "'08:30-24:30'"),
        (lambda: WorkingCalendar("UTC", weekend=frozenset(range(1, 8))), "not all"),
        (lambda: WorkingCalendar("UTC", weekend=frozenset({0})), "ISO weekdays 1-7"),
        (
            lambda: WorkingCalendar(
                "UTC",
                holidays=frozenset({date(2026, 5, 9)}),
                workdays=frozenset({date(2026, 5, 9)}),
            ),
            "both holiday and working day: 2026-05-09",
        ),
        (lambda: PLAIN.add_working(cst(3, 9), -1), "finite number of seconds >= 0"),
        (lambda: PLAIN.working_seconds(cst(3, 9), cst(3, 8)), "is before start"),
        (
            lambda: PLAIN.working_seconds(
                cst(3, 9), cst(3, 10), excluded=[(cst(3, 9, 10), cst(3, 9, 9))]
            ),
            "ends before it starts",
        ),
        (lambda: TimeLimit(-1, LimitUnit.DAYS), "finite number >= 0"),
    ],
)
def test_bad_calendars_and_arguments_are_refused_with_the_reason(build: Any, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(")):
        build()


# -- calendars from the chinese_calendar package and from mappings ------------------------------


def test_china_calendar_refuses_a_year_the_package_does_not_know() -> None:
    with pytest.raises(ValueError, match=r"not for 2027-2099; upgrade it or give that year's days"):
        china_calendar(range(2025, 2100))


def test_overrides_correct_the_package_data() -> None:
    city = china_calendar(
        range(2026, 2027),
        overrides={
            date(2026, 10, 8): False,  # a local holiday on a Thursday
            date(2026, 10, 10): False,  # the 调休 Saturday is not worked here
            date(2026, 10, 11): True,  # a Sunday that is
            date(2027, 1, 1): False,  # a year the package does not know yet
        },
    )
    assert not city.is_working_day(date(2026, 10, 8))
    assert not city.is_working_day(date(2026, 10, 10))
    assert city.is_working_day(date(2026, 10, 11))
    assert not city.is_working_day(date(2027, 1, 1))
    assert city.is_working_day(date(2026, 10, 9))


def test_a_mapping_with_its_own_holidays_builds_a_calendar() -> None:
    calendar = calendar_from_mapping(
        {
            "zone": "Asia/Shanghai",
            "periods": ["09:00-12:00", "13:30–17:30"],
            "weekend": ["sun", 6],
            "holidays": [date(2026, 3, 10), "2026-03-11"],
            "workdays": ["2026-03-14"],
        }
    )
    assert calendar.periods == (
        WorkingPeriod.parse("09:00-12:00"),
        WorkingPeriod.parse("13:30-17:30"),
    )
    assert calendar.working_day_seconds == 7 * HOUR
    assert calendar.holidays == {date(2026, 3, 10), date(2026, 3, 11)}
    assert calendar.is_working_day(date(2026, 3, 14))


def test_a_mapping_can_start_from_the_chinese_calendar_package() -> None:
    data = {
        "zone": "Asia/Shanghai",
        "source": "chinese_calendar",
        "years": [2026, 2026],
        "holidays": ["2026-10-08"],
    }
    calendar = calendar_from_mapping(data)
    assert calendar.add_working(cst(9, 30, 17), 2 * HOUR) == cst(10, 9, 9, 30)
    assert calendar.is_working_day(date(2025, 10, 1))  # only 2026 was asked for
    assert calendar == china_calendar(range(2026, 2027), overrides={date(2026, 10, 8): False})


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"zone": "UTC", "holiday": []}, "unknown key(s) holiday"),
        ({}, "zone must be a zone name"),
        ({"zone": "Mars/Olympus"}, "calendar: unknown time zone 'Mars/Olympus'"),
        ({"zone": "UTC", "periods": "08:30-12:00"}, "periods must be a list"),
        ({"zone": "UTC", "periods": ["8:30-12"]}, "periods[0]: '8:30-12' is not a period"),
        ({"zone": "UTC", "periods": ["14:00-18:00", "08:30-12:00"]}, "out of order"),
        ({"zone": "UTC", "weekend": ["saturday", "someday"]}, "weekend[1] must be a weekday"),
        ({"zone": "UTC", "weekend": [0]}, "weekend[0] must be a weekday"),
        ({"zone": "UTC", "holidays": ["2026-02-30"]}, "holidays[0] must be an ISO date"),
        ({"zone": "UTC", "workdays": [20260301]}, "workdays[0] must be an ISO date"),
        ({"zone": "UTC", "holidays": "2026-03-01"}, "holidays must be a list of ISO dates"),
        ({"zone": "UTC", "years": [2026, 2026]}, "years is only meaningful with source"),
        ({"zone": "UTC", "source": "outlook"}, "source must be chinese_calendar"),
        ({"zone": "UTC", "source": "chinese_calendar", "weekend": ["fri", "sat"]}, "Saturday"),
        ({"zone": "UTC", "source": "chinese_calendar", "years": "2026"}, "years must be a year"),
        ({"zone": "UTC", "source": "chinese_calendar", "years": 1999}, "not for 1999"),
        (
            {"zone": "UTC", "holidays": ["2026-03-07"], "workdays": ["2026-03-07"]},
            "2026-03-07",
        ),
    ],
)
def test_a_bad_mapping_is_refused_naming_the_key_and_value(
    data: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ValueError, match="calendar: ") as caught:
        calendar_from_mapping(data)
    assert fragment in str(caught.value)
