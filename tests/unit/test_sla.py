"""Stage clocks with known answers: Shanghai, 08:30–12:00 and 14:00–18:00 (7.5 h a day)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from civicgrid.domain.calendar import LimitUnit, TimeLimit, WorkingCalendar
from civicgrid.domain.cases.sla import Light, light_for, stage_clock, stage_deadline

CALENDAR = WorkingCalendar("Asia/Shanghai")
TWO_WORKING_HOURS = TimeLimit(2, LimitUnit.WORKING_HOURS)
HOUR = 3600.0


def cst(day: int, hour: int, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    """March 2026 in Shanghai: Friday the 6th, Monday the 9th."""
    local = datetime(2026, 3, day, hour, minute, second, micro, tzinfo=ZoneInfo("Asia/Shanghai"))
    return local.astimezone(UTC)


FRIDAY_5PM = cst(6, 17)


@pytest.mark.parametrize(
    ("fraction", "light"),
    [
        (0.0, Light.NORMAL),
        (0.79, Light.NORMAL),
        (0.8, Light.WARNING),
        (1.0, Light.WARNING),
        (1.000001, Light.OVERDUE),
        (math.inf, Light.OVERDUE),
    ],
)
def test_the_light_turns_at_the_warning_share_and_past_the_whole(
    fraction: float, light: Light
) -> None:
    assert light_for(fraction) is light


def test_the_warning_share_can_be_set() -> None:
    assert light_for(0.6, warning_at=0.5) is Light.WARNING
    assert light_for(0.6, warning_at=0.75) is Light.NORMAL
    with pytest.raises(ValueError, match=r"warning_at must be in \(0, 1\]"):
        light_for(0.5, warning_at=0)


@pytest.mark.parametrize(
    ("now", "fraction", "light"),
    [
        (cst(6, 17), 0.0, Light.NORMAL),
        (cst(9, 9), 0.75, Light.NORMAL),  # 1 h on Friday, 0.5 h on Monday
        (cst(9, 9, 15), 0.875, Light.WARNING),
        (cst(9, 9, 30), 1.0, Light.WARNING),  # at the deadline itself: not yet overdue
        (cst(9, 9, 30, 0, 1), 1 + 1 / 7.2e9, Light.OVERDUE),
        (cst(9, 10, 30), 1.5, Light.OVERDUE),
    ],
)
def test_two_working_hours_from_friday_5pm_as_monday_morning_goes_by(
    now: datetime, fraction: float, light: Light
) -> None:
    clock = stage_clock(CALENDAR, FRIDAY_5PM, TWO_WORKING_HOURS, now=now)
    assert clock.deadline == cst(9, 9, 30)
    assert clock.allowed == 2.0
    assert clock.elapsed_fraction == pytest.approx(fraction, rel=1e-12)
    assert clock.light is light


def test_a_stage_is_overdue_after_its_deadline_even_when_no_working_time_passed() -> None:
    # Due at Friday 18:00; at 20:00 no working time has passed since, but it is late.
    clock = stage_clock(CALENDAR, cst(6, 16), TWO_WORKING_HOURS, now=cst(6, 20))
    assert clock.deadline == cst(6, 18)
    assert clock.elapsed_fraction == 1.0
    assert clock.light is Light.OVERDUE


def test_a_released_hold_moves_the_deadline_and_stops_the_clock() -> None:
    holds = [(cst(9, 8, 30), cst(9, 9))]
    clock = stage_clock(CALENDAR, FRIDAY_5PM, TWO_WORKING_HOURS, now=cst(9, 9, 30), holds=holds)
    assert clock.deadline == cst(9, 10)
    assert clock.elapsed == 1.5
    assert clock.light is Light.NORMAL
    assert not clock.on_hold


def test_an_open_hold_runs_until_now() -> None:
    holds = [(cst(9, 8, 30), None)]
    clock = stage_clock(CALENDAR, FRIDAY_5PM, TWO_WORKING_HOURS, now=cst(9, 11), holds=holds)
    assert clock.on_hold
    assert clock.elapsed == 1.0  # only Friday's hour
    assert clock.deadline == cst(9, 12)  # if the hold ended now, one working hour is left
    later = stage_deadline(CALENDAR, FRIDAY_5PM, TWO_WORKING_HOURS, now=cst(9, 15), holds=holds)
    assert later == cst(9, 16)


def test_an_open_hold_that_starts_after_now_is_ignored() -> None:
    holds = [(cst(9, 12), None)]
    clock = stage_clock(CALENDAR, FRIDAY_5PM, TWO_WORKING_HOURS, now=cst(9, 9), holds=holds)
    assert clock.deadline == cst(9, 9, 30)
    assert not clock.on_hold


def test_extensions_add_working_time_after_the_original_deadline() -> None:
    clock = stage_clock(
        CALENDAR, FRIDAY_5PM, TWO_WORKING_HOURS, now=cst(9, 10), extensions=[HOUR, 1800]
    )
    assert clock.deadline == cst(9, 11)
    assert clock.allowed == 3.5
    assert clock.elapsed_fraction == pytest.approx(2.5 / 3.5)
    assert clock.light is Light.NORMAL  # without them it would be half an hour overdue


def test_a_working_extension_on_a_calendar_hours_limit_starts_at_the_next_working_time() -> None:
    # 24 小时 from Friday 17:00 ends Saturday 17:00; one more working hour is Monday 09:30.
    limit = TimeLimit(24, LimitUnit.HOURS)
    clock = stage_clock(CALENDAR, FRIDAY_5PM, limit, now=cst(7, 17), extensions=[HOUR])
    assert clock.deadline == cst(9, 9, 30)
    assert clock.allowed == 64.5
    assert clock.elapsed == 24.0
    assert clock.light is Light.NORMAL


def test_working_days_count_in_days_of_working_time() -> None:
    limit = TimeLimit(3, LimitUnit.WORKING_DAYS)
    clock = stage_clock(CALENDAR, cst(9, 8, 30), limit, now=cst(11, 12))
    assert clock.deadline == cst(11, 18)
    assert clock.elapsed == pytest.approx(2 + 3.5 / 7.5)
    assert clock.light is Light.WARNING


def test_a_now_before_the_start_counts_as_nothing_elapsed() -> None:
    clock = stage_clock(CALENDAR, cst(9, 10), TWO_WORKING_HOURS, now=cst(9, 9))
    assert clock.elapsed == 0.0
    assert clock.light is Light.NORMAL


def test_naive_instants_are_refused() -> None:
    naive = datetime(2026, 3, 9, 9)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        stage_clock(CALENDAR, FRIDAY_5PM, TWO_WORKING_HOURS, now=naive)
    with pytest.raises(ValueError, match=r"holds\[0\] start must be timezone-aware"):
        stage_clock(CALENDAR, FRIDAY_5PM, TWO_WORKING_HOURS, now=cst(9, 9), holds=[(naive, None)])
