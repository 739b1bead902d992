"""Evaluation indicators of an area's subtree, replayed from the event log as of a moment."""

from __future__ import annotations

from datetime import datetime

from civicgrid.domain.access import Action, Principal
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
from civicgrid.services.ports import UnitOfWork


def compute_case_indicators(
    uow: UnitOfWork,
    limits: CategoryLimits,
    clock: WorkingClock,
    principal: Principal,
    *,
    area_code: str,
    department: str | None = None,
    period: Period,
    as_of: datetime,
    basis: PeriodBasis = PeriodBasis.EVENT,
) -> Indicators:
    """The figures of the cases in `area_code`'s subtree (and `department`), as of `as_of`.

    Only that subtree's events are read. The facts are replayed on every call: fine for
    a district's few thousand cases; a city-wide figure wants facts kept between calls.
    """
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise InvalidInput("as_of must be timezone-aware", field="as_of")
    with uow:
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
        facts: list[CaseFacts] = []
        for events in uow.cases.iter_events_within(area.path):
            found = extract_facts(events, as_of, limits=limits, clock=clock)
            if found is not None:
                facts.append(found)
    selection = CaseSelection(area_path=area.path, department=department)
    return compute_indicators(
        FactTable.from_facts(facts, as_of), period, selection=selection, basis=basis
    )
