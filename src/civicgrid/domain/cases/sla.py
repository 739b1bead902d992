"""Stage time limits: the deadline, how much of the allowance is used, and the light.

Pure functions of their inputs; `now` is always passed in. A stage's clock stops while
the case is on hold (挂账/缓办), and granted extensions (延时), in working seconds,
are worked after the original limit runs out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from civicgrid.domain.calendar import TimeLimit, WorkingCalendar, require_utc

# A hold that has not been released yet has no end; it runs until `now`.
Hold = tuple[datetime, datetime | None]


class Light(StrEnum):
    NORMAL = "normal"  # 绿灯
    WARNING = "warning"  # 黄灯: most of the allowance is used
    OVERDUE = "overdue"  # 红灯: past the deadline


def light_for(elapsed_fraction: float, warning_at: float = 0.8) -> Light:
    """The light for a used fraction of the allowance; exactly 1.0 is not yet overdue."""
    if not 0 < warning_at <= 1:
        raise ValueError(f"warning_at must be in (0, 1], got {warning_at!r}")
    if elapsed_fraction > 1:
        return Light.OVERDUE
    return Light.WARNING if elapsed_fraction >= warning_at else Light.NORMAL


@dataclass(frozen=True, slots=True)
class StageClock:
    """A stage's time limit as seen at `now`; `elapsed` and `allowed` are in the limit's unit."""

    deadline: datetime
    elapsed: float
    allowed: float  # the limit plus extensions: the same unit's count up to the deadline
    elapsed_fraction: float
    light: Light
    on_hold: bool


def stage_deadline(
    calendar: WorkingCalendar,
    started_at: datetime,
    limit: TimeLimit,
    *,
    now: datetime,
    holds: Sequence[Hold] = (),
    extensions: Sequence[float] = (),
) -> datetime:
    """When the stage's time runs out if no hold starts after `now`.

    An open hold is counted up to `now`, so the deadline moves on while it lasts.
    """
    excluded = closed_holds(holds, now)
    deadline = calendar.deadline(started_at, limit, excluded)
    return calendar.add_working(deadline, sum(extensions), excluded=excluded)


def stage_clock(
    calendar: WorkingCalendar,
    started_at: datetime,
    limit: TimeLimit,
    *,
    now: datetime,
    holds: Sequence[Hold] = (),
    extensions: Sequence[float] = (),
    warning_at: float = 0.8,
) -> StageClock:
    """Deadline, elapsed fraction and light of a stage at `now`.

    A stage is overdue from the first microsecond after its deadline. A `now` before
    the stage started (clocks of two hosts disagreeing) counts as nothing elapsed.
    """
    now, started_at = require_utc(now, "now"), require_utc(started_at, "started_at")
    excluded = closed_holds(holds, now)
    deadline = stage_deadline(
        calendar, started_at, limit, now=now, holds=holds, extensions=extensions
    )
    until = max(now, started_at)
    elapsed = calendar.elapsed(started_at, until, limit.unit, excluded)
    allowed = calendar.elapsed(started_at, deadline, limit.unit, excluded)
    fraction = _fraction(elapsed, allowed)
    # Up to the deadline the fraction is at most 1.0; after it the stage is overdue even
    # when no working time has passed since (a deadline at 18:00, looked at at 20:00).
    light = light_for(math.inf if now > deadline else fraction, warning_at)
    on_hold = any(start <= now and (end is None or now < end) for start, end in holds)
    return StageClock(deadline, elapsed, allowed, fraction, light, on_hold)


def closed_holds(holds: Sequence[Hold], now: datetime) -> list[tuple[datetime, datetime]]:
    """Holds as (start, end) intervals; an open one ends at `now` (none if it starts later)."""
    now = require_utc(now, "now")
    closed = []
    for index, (start, end) in enumerate(holds):
        start = require_utc(start, f"holds[{index}] start")
        if end is not None:
            closed.append((start, end))
        elif start < now:
            closed.append((start, now))
    return closed


def _fraction(elapsed: float, allowed: float) -> float:
    if allowed > 0:
        return elapsed / allowed
    return math.inf if elapsed > 0 else 0.0  # a zero limit is used up by any time at all
