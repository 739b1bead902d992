"""The indicators' time limits, read from the category tree and the working calendar.

A limit in 工作时 or 工作日 becomes working seconds on the calendar (a 工作日 is one
normal working day's working time). A limit in 分钟, 小时 or 天 stays elapsed time: it
is a `Span` that is not working time, because no fixed number of working seconds
equals it (48 hours from a Friday evening hold less working time than from a Monday).
"""

from __future__ import annotations

from functools import cache

from civicgrid.adapters.case_rules import STEP_OF_STAGE, TreeCaseRules
from civicgrid.domain.calendar import TimeLimit, WorkingCalendar
from civicgrid.domain.cases.categories import CategoryTree, Step
from civicgrid.domain.cases.stages import Stage
from civicgrid.domain.indicators import Span, TimeBudget

# 结案时限 runs from filing, which ends 案卷建立: the limits of the stages after it, in turn.
CLOSE_STEPS = tuple(step for stage, step in STEP_OF_STAGE.items() if stage.order > Stage.FILE.order)


class TreeCategoryLimits:
    """`CategoryLimits` of the tree: 处置时限 is a minor class's own, 结案时限 the sum."""

    def __init__(self, tree: CategoryTree, calendar: WorkingCalendar) -> None:
        self.tree = tree
        self.calendar = calendar
        self._budget = cache(self._budget_of)  # a handful of categories, a million lookups

    @classmethod
    def of(cls, rules: object) -> TreeCategoryLimits:
        """From the composition root's case rules, which hold the tree and the calendar."""
        if not isinstance(rules, TreeCaseRules):
            raise TypeError(f"indicator limits need TreeCaseRules, not {type(rules).__name__}")
        return cls(rules.tree, rules.calendar)

    def limit_seconds(self, category_code: str) -> TimeBudget:
        return self._budget(category_code, (Step.HANDLE,))

    def close_limit_seconds(self, category_code: str) -> TimeBudget:
        return self._budget(category_code, CLOSE_STEPS)

    def _budget_of(self, category_code: str, steps: tuple[Step, ...]) -> TimeBudget:
        minor = self.tree.minor(category_code)
        spans: list[Span] = []
        for limit in (self.tree.limit(minor, step) for step in steps):
            span = self._span(limit)
            if spans and spans[-1].working == span.working:
                spans[-1] = Span(spans[-1].seconds + span.seconds, span.working)
            else:
                spans.append(span)
        return TimeBudget(tuple(spans))

    def _span(self, limit: TimeLimit) -> Span:
        seconds = limit.value * self.calendar.unit_seconds(limit.unit)
        return Span(seconds, limit.unit.is_working_time)
