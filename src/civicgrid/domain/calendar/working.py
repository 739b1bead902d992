"""The working calendar: working periods, weekends, holidays and 调休 working days.

Datetimes going in must be aware (naive ones are refused with ValueError); datetimes
coming out are aware UTC. Working time is worked out in the calendar's zone.

Conventions, so that every answer is one well-defined instant:
- `add_working` returns the *earliest* instant by which the time has been worked. When
  that falls exactly at the end of a working period, the answer is the period's end
  (Friday 16:00 + 2 h is Friday 18:00, not Monday 08:30). Adding 0 returns `start`.
- `subtract_working` mirrors it: the *latest* instant, so it lands on a period's start
  rather than on the previous period's end.
- Counting is exact to the microsecond, so subtracting what was added gives back the
  start whenever the start lies in working time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from civicgrid.domain.calendar import excluded as ex
from civicgrid.domain.calendar.instants import (
    from_micros,
    micros_to_seconds,
    seconds_to_micros,
    to_micros,
)
from civicgrid.domain.calendar.limits import LimitUnit, TimeLimit
from civicgrid.domain.calendar.periods import WorkingPeriod, check_periods
from civicgrid.domain.calendar.timeline import WorkingTimeline

Excluded = Sequence[tuple[datetime, datetime]]

DEFAULT_PERIODS = (WorkingPeriod(time(8, 30), time(12)), WorkingPeriod(time(14), time(18)))
SATURDAY_SUNDAY = frozenset({6, 7})
_ALL_TIME = ex.AllTime()
_UNIT_SECONDS = {
    LimitUnit.WORKING_HOURS: 3_600.0,
    LimitUnit.MINUTES: 60.0,
    LimitUnit.HOURS: 3_600.0,
    LimitUnit.DAYS: 86_400.0,  # elapsed days of 24 hours, also across a DST change
}


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """When an area works: a pure value, built from data by `adapters/holidays.py`."""

    zone: str  # an IANA zone name, e.g. "Asia/Shanghai"
    periods: tuple[WorkingPeriod, ...] = DEFAULT_PERIODS
    weekend: frozenset[int] = SATURDAY_SUNDAY  # ISO weekdays, Monday = 1 … Sunday = 7
    holidays: frozenset[date] = frozenset()  # days off that would otherwise be worked
    workdays: frozenset[date] = frozenset()  # 调休: weekend dates that are worked
    _line: WorkingTimeline = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            tz = ZoneInfo(self.zone)
        except (ValueError, KeyError) as exc:  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(f"unknown time zone {self.zone!r}") from exc
        for name in ("periods", "weekend", "holidays", "workdays"):
            value = getattr(self, name)
            object.__setattr__(self, name, tuple(value) if name == "periods" else frozenset(value))
        check_periods(self.periods)
        if not self.weekend <= set(range(1, 8)) or len(self.weekend) == 7:
            days = sorted(self.weekend)
            raise ValueError(f"weekend must be some of the ISO weekdays 1-7, not all: {days}")
        if both := sorted(self.holidays & self.workdays):
            raise ValueError(f"dates both holiday and working day: {', '.join(map(str, both))}")
        object.__setattr__(self, "_line", WorkingTimeline(tz, self.periods, self.is_working_day))

    # -- days and instants -------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.isoweekday() not in self.weekend and day not in self.holidays

    def working_periods_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The local date's working periods as UTC (start, end) pairs; none on a day off."""
        return tuple((from_micros(lo), from_micros(hi)) for lo, hi in self._line.spans(day))

    def is_working_time(self, at: datetime) -> bool:
        """Inside a working period: its start counts, its end does not."""
        micros = to_micros(at)
        return any(lo <= micros < hi for lo, hi in self._line.spans(self._line.day_of(micros)))

    @property
    def working_day_seconds(self) -> float:
        """The working time of a normal working day (7.5 h for 08:30–12:00, 14:00–18:00)."""
        return float(sum(period.seconds for period in self.periods))

    # -- working time ------------------------------------------------------------------

    def working_seconds(self, start: datetime, end: datetime, *, excluded: Excluded = ()) -> float:
        """Working time from start to end, less the excluded intervals (holds)."""
        lo, hi = _ordered(start, end)
        micros = ex.measure_outside(self._line, lo, hi, ex.merge_excluded(excluded))
        return micros_to_seconds(micros)

    def add_working(self, start: datetime, seconds: float, *, excluded: Excluded = ()) -> datetime:
        """The earliest instant by which `seconds` of working time have passed since start."""
        amount, holes = seconds_to_micros(seconds), ex.merge_excluded(excluded)
        return from_micros(ex.advance_outside(self._line, to_micros(start), amount, holes))

    def subtract_working(
        self, end: datetime, seconds: float, *, excluded: Excluded = ()
    ) -> datetime:
        """The latest instant from which `seconds` of working time pass until end."""
        amount, holes = seconds_to_micros(seconds), ex.merge_excluded(excluded)
        return from_micros(ex.retreat_outside(self._line, to_micros(end), amount, holes))

    # -- time limits -------------------------------------------------------------------

    def deadline(self, start: datetime, limit: TimeLimit, excluded: Excluded = ()) -> datetime:
        """When a limit counted from start runs out; holds stop the clock in every unit."""
        amount = seconds_to_micros(limit.value * self.unit_seconds(limit.unit))
        line = self._line if limit.unit.is_working_time else _ALL_TIME
        return from_micros(
            ex.advance_outside(line, to_micros(start), amount, ex.merge_excluded(excluded))
        )

    def elapsed(
        self, start: datetime, now: datetime, limit_unit: LimitUnit, excluded: Excluded = ()
    ) -> float:
        """Time counted from start to now, less holds, in the unit (e.g. 1.5 工作日)."""
        lo, hi = _ordered(start, now)
        line = self._line if limit_unit.is_working_time else _ALL_TIME
        micros = ex.measure_outside(line, lo, hi, ex.merge_excluded(excluded))
        return micros_to_seconds(micros) / self.unit_seconds(limit_unit)

    def unit_seconds(self, unit: LimitUnit) -> float:
        """Seconds in one unit; a 工作日 is `working_day_seconds` of working time."""
        if unit is LimitUnit.WORKING_DAYS:
            return self.working_day_seconds
        return _UNIT_SECONDS[unit]


def _ordered(start: datetime, end: datetime) -> tuple[int, int]:
    lo, hi = to_micros(start, name="start"), to_micros(end, name="end")
    if hi < lo:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    return lo, hi
