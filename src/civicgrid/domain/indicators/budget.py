"""Deadlines and "on time" for a `TimeBudget`: working spans on the calendar, others elapsed.

Both answers follow the working clock's conventions: a deadline is the earliest instant
by which the budget is used, and "on time" compares time used, not instants, so a
result delivered on Saturday after a Friday 18:00 deadline lost no working time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from civicgrid.domain.indicators.ports import Excluded, Span, TimeBudget, WorkingClock


def as_budget(limit: float | TimeBudget) -> TimeBudget:
    """A plain number is working seconds, as `CategoryLimits` always allowed."""
    return limit if isinstance(limit, TimeBudget) else TimeBudget((Span(limit, True),))


def budget_deadline(
    start: datetime, budget: TimeBudget, clock: WorkingClock, excluded: Excluded
) -> datetime:
    """When the budget counted from `start` runs out, the excluded intervals left out."""
    at = start
    for span in budget.spans:
        at = _clock(span, clock).add_working(at, span.seconds, excluded=excluded)
    return at


def within_budget(
    start: datetime, done: datetime, budget: TimeBudget, clock: WorkingClock, excluded: Excluded
) -> bool:
    """Whether the time from start to done, less the excluded intervals, fits the budget."""
    *head, last = budget.spans
    last_start = budget_deadline(start, TimeBudget(tuple(head)), clock, excluded) if head else start
    if done <= last_start:
        return True
    return _clock(last, clock).working_seconds(last_start, done, excluded=excluded) <= last.seconds


class ElapsedClock:
    """Every second counts (nights and holidays too); only the excluded intervals do not."""

    def working_seconds(self, start: datetime, end: datetime, *, excluded: Excluded = ()) -> float:
        total = (end - start).total_seconds()
        for lo, hi in _merged(excluded):
            total -= max(0.0, (min(hi, end) - max(lo, start)).total_seconds())
        return total

    def add_working(self, start: datetime, seconds: float, *, excluded: Excluded = ()) -> datetime:
        at, left = start, timedelta(seconds=seconds)
        if left <= timedelta(0):
            return start
        for lo, hi in _merged(excluded):
            if hi <= at:
                continue
            if lo > at:
                if left <= lo - at:
                    return at + left
                left -= lo - at
            at = hi
        return at + left


ELAPSED = ElapsedClock()


def _clock(span: Span, clock: WorkingClock) -> WorkingClock:
    return clock if span.working else ELAPSED


def _merged(excluded: Excluded) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for lo, hi in sorted(excluded):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        elif hi > lo:
            merged.append((lo, hi))
    return merged
