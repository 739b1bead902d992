"""Computed indicators: one calculator per log they come from, found by `source`.

Cases, investment projects, directives (computed_directives.py) and alerts
(computed_alerts.py) are wired in here; `register_computer` adds or replaces one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from civicgrid.domain.areas import Area
from civicgrid.domain.indicators import CaseFacts, FactTable, extract_facts
from civicgrid.domain.sanbiao.aggregate import common_root
from civicgrid.domain.sanbiao.builtin import ALERTS, CASES, DIRECTIVES, PROJECTS
from civicgrid.domain.sanbiao.case_grid import compute_case_grid
from civicgrid.domain.sanbiao.catalogue import IndicatorDef
from civicgrid.domain.sanbiao.chains import Project, Stage, count_and_amount
from civicgrid.domain.sanbiao.periods import PeriodKey
from civicgrid.services.sanbiao.computed_alerts import compute_alerts
from civicgrid.services.sanbiao.computed_directives import compute_directives
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork

Computer = Callable[
    [SanbiaoUnitOfWork, Sequence[Area], IndicatorDef, PeriodKey, Context], dict[str, float]
]
"""(open unit of work, areas, indicator, period, context) → value by area code."""


def register_computer(source: str, computer: Computer) -> None:
    COMPUTERS[source] = computer


def compute_values(
    uow: SanbiaoUnitOfWork,
    areas: Sequence[Area],
    indicator: IndicatorDef,
    period: PeriodKey,
    context: Context,
) -> dict[str, float]:
    computer = COMPUTERS.get(indicator.source)
    return {} if computer is None or not areas else computer(uow, areas, indicator, period, context)


_PROJECT_STAGES = {
    "investment.signed_count": (Stage.SIGNED, False),
    "investment.signed_amount": (Stage.SIGNED, True),
    "investment.started_count": (Stage.STARTED, False),
    "investment.producing_count": (Stage.PRODUCING, False),
}


def _projects(
    uow: SanbiaoUnitOfWork,
    areas: Sequence[Area],
    indicator: IndicatorDef,
    period: PeriodKey,
    context: Context,
) -> dict[str, float]:
    stage, amount = _PROJECT_STAGES[indicator.code]
    found = {}
    for area in areas:
        projects = context.remember(("projects", area.path), _loader(uow, area.path))
        count, total = count_and_amount(projects, stage, period.start, period.end)
        found[area.code] = total if amount else float(count)
    return found


def _cases(
    uow: SanbiaoUnitOfWork,
    areas: Sequence[Area],
    indicator: IndicatorDef,
    period: PeriodKey,
    context: Context,
) -> dict[str, float]:
    if context.case_limits is None or context.case_clock is None:
        return {}
    paths = tuple(a.path for a in areas)
    # Every case indicator of these areas and this period comes from one grid.
    grid = context.remember(
        ("case grid", paths, period.key),
        lambda: compute_case_grid(
            _facts_within(uow, common_root(paths), context), paths, [context.span(period)]
        ),
    )
    values = {}
    for area in areas:
        value = grid.value(indicator.code, area.path, 0)
        if value is not None:
            values[area.code] = value
    return values


def _facts_within(uow: SanbiaoUnitOfWork, root: str, context: Context) -> FactTable:
    """The case facts of the subtree at `root`, replayed once per use case."""

    def replay() -> FactTable:
        kept = context.case_facts() if context.case_facts is not None else None
        if kept is not None:  # the whole city's facts: the case grid keeps to its paths
            return kept
        limits, clock = context.case_limits, context.case_clock
        facts: list[CaseFacts] = []
        if limits is not None and clock is not None:
            for events in uow.cases.iter_events_within(root):
                found = extract_facts(events, context.now, limits=limits, clock=clock)
                if found is not None:
                    facts.append(found)
        return FactTable.from_facts(facts, context.now)

    return context.remember(("case facts", root), replay)


def _loader(uow: SanbiaoUnitOfWork, root: str) -> Callable[[], list[Project]]:
    return lambda: uow.sanbiao.projects(root)


COMPUTERS: dict[str, Computer] = {
    PROJECTS: _projects,
    CASES: _cases,
    DIRECTIVES: compute_directives,
    ALERTS: compute_alerts,
}
