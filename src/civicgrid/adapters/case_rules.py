"""Case rules from the category tree and the working calendar."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from civicgrid.domain.calendar import LimitUnit, TimeLimit, WorkingCalendar
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.categories import CategoryTree, MinorClass, Step
from civicgrid.domain.cases.stages import Stage
from civicgrid.services.case_ports import CategoryFacts

# The clock each open stage runs against. 处理反馈 and 核查结案 share the 核查 limit:
# both are the centre's and the inspector's work after the department's result.
STEP_OF_STAGE = {
    Stage.COLLECT: Step.ACCEPT,
    Stage.FILE: Step.FILE,
    Stage.DISPATCH: Step.DISPATCH,
    Stage.HANDLE: Step.HANDLE,
    Stage.FEEDBACK: Step.VERIFY,
    Stage.VERIFY_CLOSE: Step.VERIFY,
}


class TreeCaseRules:
    def __init__(self, tree: CategoryTree, calendar: WorkingCalendar, zone: str) -> None:
        self.tree = tree
        self.calendar = calendar
        self._zone = ZoneInfo(zone)

    def minor(self, code: str) -> MinorClass:
        return self.tree.minor(code)

    def category(self, code: str, *, on: datetime) -> CategoryFacts:
        minor = self.tree.minor(code)
        return CategoryFacts(
            code=minor.key,
            name_zh=minor.name_zh,
            name_en=minor.name_en,
            department=minor.department,
            urgency=minor.urgency_on(on.astimezone(self._zone).date()),
            duplicate_radius_m=minor.duplicate_radius_m,
            duplicate_window_h=minor.duplicate_window_h,
        )

    def limit(self, case: Case) -> TimeLimit | None:
        step = STEP_OF_STAGE.get(case.stage)
        if step is None or case.finished:
            return None
        return self.tree.limit(self.tree.minor(case.category), step)

    def _allowance(self, case: Case, limit: TimeLimit) -> float:
        """The stage's allowance in seconds of its own unit's time, extensions included."""
        return limit.value * self.calendar.unit_seconds(limit.unit) + case.extension_seconds(
            case.stage
        )

    def stage_deadline(self, case: Case, share: float = 1.0) -> datetime | None:
        limit = self.limit(case)
        if limit is None or case.on_hold:
            return None  # a hold stops the clock: no deadline until it is released
        hours = self._allowance(case, limit) * share / 3600
        counted = TimeLimit(hours, _hours_of(limit.unit))
        return self.calendar.deadline(case.stage_entered_at, counted, _closed_holds(case))

    def elapsed_fraction(self, case: Case, now: datetime) -> float | None:
        limit = self.limit(case)
        if limit is None:
            return None
        unit = LimitUnit.WORKING_HOURS if limit.unit.is_working_time else LimitUnit.HOURS
        used_hours = self.calendar.elapsed(
            case.stage_entered_at, now, unit, _closed_holds(case, now)
        )
        allowance = self._allowance(case, limit)
        return used_hours * 3600 / allowance if allowance else None


def _hours_of(unit: LimitUnit) -> LimitUnit:
    """Hours of the same kind of time as `unit`: working hours or elapsed hours."""
    return LimitUnit.WORKING_HOURS if unit.is_working_time else LimitUnit.HOURS


def _closed_holds(case: Case, now: datetime | None = None) -> list[tuple[datetime, datetime]]:
    """Hold intervals since the stage began; an open hold runs to `now`."""
    intervals = []
    for start, end in case.holds:
        stop = end if end is not None else now
        if stop is not None and stop > case.stage_entered_at:
            intervals.append((max(start, case.stage_entered_at), stop))
    return intervals
