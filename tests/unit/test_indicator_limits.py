"""Time limits for the indicators from the category tree: calendar units stay elapsed time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from civicgrid.adapters.category_files import default_category_tree
from civicgrid.adapters.indicator_limits import TreeCategoryLimits
from civicgrid.domain.calendar import WorkingCalendar
from civicgrid.domain.indicators import Span, TimeBudget
from civicgrid.domain.indicators.budget import as_budget, budget_deadline, within_budget

CALENDAR = WorkingCalendar("Asia/Shanghai")
LIMITS = TreeCategoryLimits(default_category_tree(), CALENDAR)
FRIDAY_17 = datetime(2026, 11, 27, 9, tzinfo=UTC)  # 17:00 in Shanghai
HOUR = 3600.0


def test_a_working_hours_class_is_working_seconds_and_its_close_limit_sums_the_steps() -> None:
    assert LIMITS.limit_seconds("event:0101") == TimeBudget((Span(2 * HOUR, True),))
    # dispatch 1 + handle 2 + feedback 2 + verification 2 working hours
    assert LIMITS.close_limit_seconds("event:0101") == TimeBudget((Span(7 * HOUR, True),))


def test_an_hours_class_keeps_elapsed_time_between_working_steps() -> None:
    assert LIMITS.limit_seconds("component:0205") == TimeBudget((Span(4 * HOUR, False),))
    assert LIMITS.close_limit_seconds("component:0205").spans == (
        Span(HOUR, True),
        Span(4 * HOUR, False),
        Span(4 * HOUR, True),
    )


def test_four_elapsed_hours_from_friday_evening_end_that_night_not_on_monday() -> None:
    budget = LIMITS.limit_seconds("component:0205")
    assert budget_deadline(FRIDAY_17, budget, CALENDAR, ()) == FRIDAY_17 + timedelta(hours=4)
    saturday = FRIDAY_17 + timedelta(hours=16)
    assert CALENDAR.working_seconds(FRIDAY_17, saturday) == HOUR  # as working time: on time
    assert not within_budget(FRIDAY_17, saturday, budget, CALENDAR, ())
    assert within_budget(FRIDAY_17, FRIDAY_17 + timedelta(hours=4), budget, CALENDAR, ())


def test_a_hold_stops_the_elapsed_clock_too() -> None:
    budget = LIMITS.limit_seconds("component:0205")
    hold = [(FRIDAY_17 + timedelta(hours=1), FRIDAY_17 + timedelta(hours=3))]
    assert budget_deadline(FRIDAY_17, budget, CALENDAR, hold) == FRIDAY_17 + timedelta(hours=6)
    assert within_budget(FRIDAY_17, FRIDAY_17 + timedelta(hours=6), budget, CALENDAR, hold)


def test_a_plain_number_is_still_working_seconds_and_extensions_join_the_last_span() -> None:
    assert as_budget(HOUR) == TimeBudget((Span(HOUR, True),))
    mixed = TimeBudget((Span(HOUR, True), Span(HOUR, False)))
    assert mixed.extended(HOUR).spans == (Span(HOUR, True), Span(2 * HOUR, False))
