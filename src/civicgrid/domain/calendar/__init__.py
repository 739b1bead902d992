"""The working calendar: working time, holidays and 调休, and time limits in their units."""

from civicgrid.domain.calendar.instants import require_utc
from civicgrid.domain.calendar.limits import LimitUnit, TimeLimit
from civicgrid.domain.calendar.periods import WorkingPeriod
from civicgrid.domain.calendar.working import (
    DEFAULT_PERIODS,
    SATURDAY_SUNDAY,
    Excluded,
    WorkingCalendar,
)

__all__ = [
    "DEFAULT_PERIODS",
    "SATURDAY_SUNDAY",
    "Excluded",
    "LimitUnit",
    "TimeLimit",
    "WorkingCalendar",
    "WorkingPeriod",
    "require_utc",
]
