"""What the staff map shows of one area: its place, its officers, its open cases and
their lights; and, asked for separately, the last 30 days' key indicators (the first
ask after a start replays the case log, which must not hold up the map)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from civicgrid.domain.access import Action, Principal, Role, readable_scopes
from civicgrid.domain.areas import Area
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.indicators import CategoryLimits, Indicators, Period, WorkingClock
from civicgrid.services.areas import access_area, get_ancestors
from civicgrid.services.cases.indicator_facts import FactCache
from civicgrid.services.cases.indicators import compute_case_indicators
from civicgrid.services.ports import UnitOfWork

INDICATOR_DAYS = 30
MAX_CHILDREN = 500  # more than any area has; a bound on one panel


@dataclass(frozen=True, slots=True)
class Officer:
    username: str
    display_name: str
    role: Role
    department: str


@dataclass(frozen=True, slots=True)
class AreaPanel:
    area: Area
    bounds: tuple[float, float, float, float] | None  # min lon, min lat, max lon, max lat
    trail: list[Area]  # the ancestors inside the caller's subtree, top first
    children: list[Area]
    officers: list[Officer]
    open: int
    overdue: int
    warning: int


def describe_area(
    uow: UnitOfWork,
    principal: Principal,
    code: str,
    *,
    now: datetime,
) -> AreaPanel:
    """The panel of `code`; Forbidden outside the caller's subtree."""
    scopes = readable_scopes(principal)
    with uow:
        area = access_area(uow, principal, code, Action.READ, with_geometry=True)
        trail = [a for a in get_ancestors(uow, area) if any(is_within(a.path, s) for s in scopes)]
        child = area.level.child()
        children = (
            []
            if child is None
            else uow.areas.subtree(
                area.path,
                level=child,
                offset=0,
                limit=MAX_CHILDREN,
                with_geometry=False,
                include_root=False,
            ).items
        )
        officers = [
            Officer(user.username, user.display_name, grant.role, grant.department)
            for user, grant in uow.users.granted_at(area.code)
        ]
        counts = uow.cases.count_open_by_area(
            scopes, within=area.path, path_length=len(area.path), now=now
        )
    return AreaPanel(
        area=area,
        bounds=area.geometry.bounds if area.geometry is not None else None,
        trail=trail,
        children=children,
        officers=officers,
        open=sum(c.open for c in counts),
        overdue=sum(c.overdue for c in counts),
        warning=sum(c.warning for c in counts),
    )


def get_recent_indicators(
    uow: UnitOfWork,
    principal: Principal,
    code: str,
    *,
    now: datetime,
    limits: CategoryLimits,
    clock: WorkingClock,
    facts: FactCache | None = None,
) -> Indicators:
    """The indicators of `code`'s subtree over the last INDICATOR_DAYS days up to and
    including `now` (a period's end is excluded, and what happened this instant counts)."""
    period = Period(now - timedelta(days=INDICATOR_DAYS), now + timedelta(microseconds=1))
    return compute_case_indicators(
        uow, limits, clock, principal, area_code=code, period=period, as_of=now, facts=facts
    )
