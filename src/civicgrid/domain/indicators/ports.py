"""What fact extraction needs from outside the event log: time limits and a calendar.

The composition root wires the real category tree and `WorkingCalendar`; tests pass
small fakes. Both are plain protocols so the indicators depend on neither module.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

Excluded = Sequence[tuple[datetime, datetime]]
"""Intervals left out of working time: a case's holds (挂账)."""


class CategoryLimits(Protocol):
    """The time limits of a case category, in working seconds."""

    def limit_seconds(self, category_code: str) -> float:
        """处置时限: from dispatch to the department's handling result."""
        ...

    def close_limit_seconds(self, category_code: str) -> float:
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
