"""Checking milestones as values arrive: a met condition is recorded with its date."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from civicgrid.domain.areas import Area
from civicgrid.domain.areas.area import path_codes
from civicgrid.domain.sanbiao.catalogue import IndicatorDef
from civicgrid.domain.sanbiao.milestones import first_meeting
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork
from civicgrid.services.sanbiao.reading import ValueReader


def check_milestones_of(
    uow: SanbiaoUnitOfWork,
    catalogue: dict[str, IndicatorDef],
    area: Area,
    indicator: str,
    *,
    now: datetime,
) -> int:
    """Mark achieved the open milestones on `indicator` of `area` and of the areas above
    it (a value below moves their roll-up too). Returns how many were marked."""
    # Only reported values arrive here, and their periods are dates: no zone is needed.
    reader = ValueReader(uow, catalogue, Context(now, ZoneInfo("UTC")))
    marked = 0
    codes = path_codes(area.path)
    for milestone in uow.sanbiao.milestones("/" + codes[0] + "/", indicator):
        condition = milestone.condition
        if condition is None or milestone.achieved_on is not None:
            continue
        if milestone.area_code not in codes:
            continue
        owner = uow.areas.get(milestone.area_code, with_geometry=False)
        if owner is None:
            continue
        points = reader.points(catalogue[indicator], owner)
        met = first_meeting(condition, points, milestone.deadline)
        if met is not None:
            uow.sanbiao.update_milestone(
                milestone.id,
                evidence=milestone.evidence,
                approved_by=milestone.approved_by,
                achieved_on=met.on,
            )
            marked += 1
    return marked
