"""What fact extraction needs from outside the event log: time limits and a calendar.

The composition root wires the real category tree and `WorkingCalendar`; tests pass
small fakes. Both are plain protocols so the indicators depend on neither module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, Protocol

Excluded = Sequence[tuple[datetime, datetime]]
"""Intervals left out of working time: a case's holds (挂账)."""


class Span(NamedTuple):
    seconds: float
    working: bool  # False: elapsed time, nights, weekends and holidays included


@dataclass(frozen=True, slots=True)
class TimeBudget:
    """A limit as spans run one after another, each of working time or of elapsed time.

    A limit in 分钟, 小时 or 天 is elapsed time, and no fixed number of working seconds
    equals it: 48 hours from a Friday evening hold less working time than from a Monday
    morning. A plain float from `CategoryLimits` is one span of working time.
    """

    spans: tuple[Span, ...]

    def __post_init__(self) -> None:
        if not self.spans:
            raise ValueError("a time budget needs at least one span")

    def extended(self, seconds: float) -> TimeBudget:
        """Granted extensions, counted in the time of the last span (as the live rules do)."""
        if not seconds:
            return self
        *head, (last, working) = self.spans
        return TimeBudget((*head, Span(last + seconds, working)))


class CategoryLimits(Protocol):
    """The time limits of a case category: working seconds, or a `TimeBudget`."""

    def limit_seconds(self, category_code: str) -> float | TimeBudget:
        """处置时限: from dispatch to the department's handling result."""
        ...

    def close_limit_seconds(self, category_code: str) -> float | TimeBudget:
        """结案时限: from filing (立案) to closing (结案), the case's overall limit."""
        ...


class WorkingClock(Protocol):
    """Working time on the area's calendar; `WorkingCalendar` satisfies it."""

    def working_seconds(self, start: datetime, end: datetime, *, excluded: Excluded = ()) -> float:
        """Working time from start to end, less the excluded intervals."""
        ...

    def add_working(self, start: datetime, seconds: float, *, excluded: Excluded = ()) -> datetime:
        """The earliest instant by which `seconds` of working time have passed since start."""
        ...
