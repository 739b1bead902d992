"""Evaluation indicators of an area's subtree, replayed from the event log as of a moment."""

from __future__ import annotations

from datetime import datetime

from civicgrid.domain.access import Action, Principal
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.enterprises import ENTERPRISE_SERVICE_CLASS
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.indicators import (
    CaseFacts,
    CaseSelection,
    CategoryLimits,
    FactTable,
    Indicators,
    Period,
    PeriodBasis,
    WorkingClock,
    compute_indicators,
    extract_facts,
)
from civicgrid.services.areas import access_area
from civicgrid.services.cases.indicator_facts import FactCache
from civicgrid.services.ports import UnitOfWork


def compute_case_indicators(
    uow: UnitOfWork,
    limits: CategoryLimits,
    clock: WorkingClock,
    principal: Principal,
    *,
    area_code: str,
    department: str | None = None,
    position: Position | None = None,
    enterprise: bool | None = None,
    period: Period,
    as_of: datetime,
    basis: PeriodBasis = PeriodBasis.EVENT,
    facts: FactCache | None = None,
) -> Indicators:
    """The figures of the cases in `area_code`'s subtree (and `department`, and reported
    from `position`), as of `as_of`.

    With `facts`, the facts kept between calls serve any `as_of` from the log's latest
    event on; otherwise, and for an earlier `as_of`, the subtree's events are replayed.
    """
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise InvalidInput("as_of must be timezone-aware", field="as_of")
    with uow:
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
    table = facts.table(uow, as_of) if facts is not None else None
    if table is None:
        table = _replay_subtree(uow, area.path, as_of, limits, clock)
    selection = CaseSelection(
        area_path=area.path,
        department=department,
        reporter_position=position,
        enterprise=enterprise,  # True: enterprise requests only; False: all but them
    )
    return compute_indicators(
        table,
        period,
        selection=selection,
        basis=basis,
        enterprise_categories=(ENTERPRISE_SERVICE_CLASS,),
    )


def _replay_subtree(
    uow: UnitOfWork, path: AreaPath, as_of: datetime, limits: CategoryLimits, clock: WorkingClock
) -> FactTable:
    """Only the subtree's events are read: fine for a district's few thousand cases."""
    found: list[CaseFacts] = []
    with uow:
        for events in uow.cases.iter_events_within(path):
            facts = extract_facts(events, as_of, limits=limits, clock=clock)
            if facts is not None:
                found.append(facts)
    return FactTable.from_facts(found, as_of)
