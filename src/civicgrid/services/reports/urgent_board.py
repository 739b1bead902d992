"""What the urgent-report (急报) pages read: the units one may report from, and a report
with the names of the levels it reached and who at each has read it."""

from __future__ import annotations

from dataclasses import dataclass

from civicgrid.domain.access import Action, Principal
from civicgrid.domain.areas import Area
from civicgrid.domain.areas.area import path_codes
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.report_ports import Reader
from civicgrid.services.reports.urgent import UrgentView, get_urgent_report


@dataclass(frozen=True, slots=True)
class UrgentLevel:
    area: Area
    readers: list[Reader]


@dataclass(frozen=True, slots=True)
class UrgentPage:
    view: UrgentView
    source: Area | None
    levels: list[UrgentLevel]  # the city first


def list_reporting_units(uow: UnitOfWork, principal: Principal) -> list[Area]:
    """The areas the caller is posted at and works in, below the city."""
    codes = sorted(
        {
            g.area_code
            for g in principal.grants
            if Action.OPERATE in g.role.actions and len(path_codes(g.area_path)) > 1
        }
    )
    with uow:
        found = [uow.areas.get(code, with_geometry=False) for code in codes]
    return [a for a in found if a is not None]


def get_urgent_page(uow: UnitOfWork, principal: Principal, urgent_id: int) -> UrgentPage:
    view = get_urgent_report(uow, principal, urgent_id)
    with uow:
        source = uow.areas.get(path_codes(view.report.area_path)[-1], with_geometry=False)
        levels = []
        for path in view.delivered_to:
            area = uow.areas.get(path_codes(path)[-1], with_geometry=False)
            if area is not None:
                readers = [r for r in view.readers if r.area_path == path]
                levels.append(UrgentLevel(area, readers))
    return UrgentPage(view, source, levels)
