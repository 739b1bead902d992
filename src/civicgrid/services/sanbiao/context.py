"""What every 三标 use case is given: the moment, the zone, and the case rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TypeVar, cast
from zoneinfo import ZoneInfo

from civicgrid.domain.access import Action, Principal, scopes_for
from civicgrid.domain.errors import Forbidden
from civicgrid.domain.indicators import CategoryLimits, FactTable, Period, WorkingClock
from civicgrid.domain.sanbiao.periods import PeriodKey

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Context:
    now: datetime
    zone: ZoneInfo
    case_limits: CategoryLimits | None = None  # None: case indicators are not computed
    case_clock: WorkingClock | None = None
    # Every case's facts as of `now` kept between requests (the container's FactCache), or
    # None when they must be replayed; without it each use case replays its subtree.
    case_facts: Callable[[], FactTable | None] | None = field(default=None, compare=False)
    # Per use case: what calculators keep between calls, e.g. a subtree's case facts.
    memo: dict[object, object] = field(default_factory=dict, compare=False)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()

    def remember(self, key: object, make: Callable[[], T]) -> T:
        """`make()`, computed once per use case for `key`."""
        if key not in self.memo:
            self.memo[key] = make()
        return cast(T, self.memo[key])

    def span(self, period: PeriodKey) -> Period:
        """The period as aware instants in the area's zone."""
        return Period(
            datetime.combine(period.start, time(), self.zone),
            datetime.combine(period.end, time(), self.zone),
        )


def require_admin(principal: Principal, what: str) -> None:
    """City-wide reference data (catalogue, peers) is changed by administrators only."""
    if not scopes_for(principal, Action.ADMINISTER):
        raise Forbidden(f"{principal.username} may not change {what}: administrators only")
