"""一屏观全域: the figures of the leader screen for one area (a district or the city).

Today's cases and the on-time rate come from the case event log (the indicator
replay), overdue cases from the listing projection, then active alerts, the latest
directives' progress and the milestones' status: each from the use cases' stores,
all inside the area's subtree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from civicgrid.domain.access import Action, Principal
from civicgrid.domain.areas import Area
from civicgrid.domain.areas.area import AreaPath
from civicgrid.domain.directives import Counts, Directive
from civicgrid.domain.indicators import CategoryLimits, Indicators, Period, WorkingClock
from civicgrid.domain.sanbiao.milestones import Status
from civicgrid.domain.sanbiao.periods import PeriodKey
from civicgrid.services.areas import access_area
from civicgrid.services.case_ports import CaseFilter
from civicgrid.services.cases.indicator_facts import FactCache
from civicgrid.services.cases.indicators import compute_case_indicators
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.milestones import AssessedMilestone, assess_within
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork
from civicgrid.services.sensor_ports import IotUnitOfWork, StoredAlert

SHOWN_ALERTS = 8
SHOWN_DIRECTIVES = 5
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class CaseFigures:
    new_today: int  # reported today
    closed_today: int
    on_time_today: float | None  # share of the cases due today closed on time; None: none due
    on_time_month: float | None  # the same, this month so far
    due_month: int
    open_overdue: int


@dataclass(frozen=True, slots=True)
class Overdue:
    area: Area
    count: int


@dataclass(frozen=True, slots=True)
class DirectiveProgress:
    directive: Directive
    counts: Counts  # the receipts inside the screen's area
    overdue: int


@dataclass(frozen=True, slots=True)
class Screen:
    area: Area
    at: datetime
    cases: CaseFigures
    overdue_by_child: list[Overdue]  # most overdue first
    alerts: list[StoredAlert]  # the most severe active alerts
    active_alerts: int
    directives: list[DirectiveProgress]
    milestones: list[AssessedMilestone]

    @property
    def milestone_counts(self) -> dict[Status, int]:
        found = Counter(m.assessment.status for m in self.milestones)
        return {status: found.get(status, 0) for status in Status}


@dataclass(frozen=True, slots=True)
class CaseRules:
    """What the case figures need: limits, the working clock, the facts kept in memory."""

    limits: CategoryLimits
    clock: WorkingClock
    facts: FactCache | None = None


def show_screen(
    uow: SanbiaoUnitOfWork,
    iot_uow: IotUnitOfWork,
    principal: Principal,
    area_code: str,
    rules: CaseRules,
    context: Context,
) -> Screen:
    """Everything on the screen of `area_code`, which the person must be allowed to read."""
    now = context.now
    with uow:
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
        children = uow.areas.children_of([area.code])
        overdue = [Overdue(child, _overdue_within(uow, child.path, now)) for child in children]
        open_overdue = _overdue_within(uow, area.path, now)
        recent = uow.directives.listing((area.path,), offset=0, limit=4 * SHOWN_DIRECTIVES)
        directives = [_progress(uow, d, area, now) for d in recent.items if d.active][
            :SHOWN_DIRECTIVES
        ]
        milestones = sorted(assess_within(uow, area, context), key=lambda m: m.milestone.deadline)
    cases = _case_figures(uow, principal, area, rules, context, open_overdue)
    with iot_uow:
        page = iot_uow.alerts.within((area.path,), active=True, offset=0, limit=100)
    alerts = sorted(page.items, key=lambda a: (-a.severity, a.fired_at))[:SHOWN_ALERTS]
    overdue.sort(key=lambda o: (-o.count, o.area.code))
    return Screen(area, now, cases, overdue, alerts, page.count, directives, milestones)


def _overdue_within(uow: SanbiaoUnitOfWork, path: str, now: datetime) -> int:
    where = CaseFilter(within=path, status="open", overdue_at=now)
    return uow.cases.listing((path,), where, offset=0, limit=1).count


def _progress(
    uow: SanbiaoUnitOfWork, directive: Directive, area: Area, now: datetime
) -> DirectiveProgress:
    found = uow.directives.rollup(directive, area.path)
    total = found.own
    for _, counts in found.children:
        total += counts
    return DirectiveProgress(directive, total, total.overdue(directive, now))


def _case_figures(
    uow: SanbiaoUnitOfWork,
    principal: Principal,
    area: Area,
    rules: CaseRules,
    context: Context,
    open_overdue: int,
) -> CaseFigures:
    local = context.now.astimezone(context.zone).date()
    midnight = datetime.combine(local, time(), context.zone)
    month = PeriodKey.parse(f"{local:%Y-%m}")
    today = _indicators(uow, principal, area, rules, context, Period(midnight, midnight + DAY))
    so_far = _indicators(uow, principal, area, rules, context, context.span(month))
    return CaseFigures(
        new_today=today.reported,
        closed_today=today.closed,
        on_time_today=_percent(today.on_time_close_rate.value),
        on_time_month=_percent(so_far.on_time_close_rate.value),
        due_month=so_far.due_to_close,
        open_overdue=open_overdue,
    )


def _indicators(
    uow: SanbiaoUnitOfWork,
    principal: Principal,
    area: Area,
    rules: CaseRules,
    context: Context,
    period: Period,
) -> Indicators:
    """As of now: the period's later part has not happened yet and counts nothing."""
    return compute_case_indicators(
        uow,
        rules.limits,
        rules.clock,
        principal,
        area_code=area.code,
        period=period,
        as_of=context.now,
        facts=rules.facts,
    )


def _percent(share: float | None) -> float | None:
    return None if share is None else 100 * share


def screen_scope(uow: UnitOfWork, principal: Principal, area_code: str) -> AreaPath:
    """The subtree whose live events the screen of `area_code` follows."""
    with uow:
        return access_area(uow, principal, area_code, Action.READ, with_geometry=False).path
