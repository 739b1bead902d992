"""What the report pages read: each template, the caller's own units that submit it
(with what they sent for the period), and "N of M reported" where the caller looks on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.access import Action, Principal, readable_scopes
from civicgrid.domain.areas import Area
from civicgrid.domain.areas.area import is_within, path_codes
from civicgrid.domain.directives.issuing import access_issuer_area
from civicgrid.domain.errors import Forbidden, NotFound, OutsideJurisdiction
from civicgrid.domain.reports import ReportTemplate, Schedule, Submission
from civicgrid.domain.reports.periods import current_period, due_at
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.reports.aggregating import get_aggregate
from civicgrid.services.reports.templates import access_template, list_templates


@dataclass(frozen=True, slots=True)
class DueUnit:
    area: Area
    latest: Submission | None  # the current version for the period, if any


@dataclass(frozen=True, slots=True)
class TemplateBoard:
    template: ReportTemplate
    period: str
    due_at: datetime | None
    units: list[DueUnit]  # the caller's own units that submit this template
    reported: int | None = None  # below the caller's area, when it lies above the units
    expected: int | None = None


def _own_units(uow: UnitOfWork, principal: Principal, template: ReportTemplate) -> list[Area]:
    level = template.draft.submitter_level
    paths = sorted(
        {
            g.area_path
            for g in principal.grants
            if Action.OPERATE in g.role.actions
            and len(path_codes(g.area_path)) == level.value
            and is_within(g.area_path, template.area_path)
        }
    )
    return uow.areas.get_by_path(paths) if paths else []


def units_due(
    uow: UnitOfWork, principal: Principal, template_id: int, period: str
) -> list[DueUnit]:
    """The caller's own units that submit the template, each with its current version."""
    with uow:
        template = access_template(uow, principal, template_id)
        return [
            DueUnit(area, uow.reports.latest(template.id, period, area.path))
            for area in _own_units(uow, principal, template)
        ]


def period_for(template: ReportTemplate, now: datetime, zone: str) -> str:
    """The period a page opens on: the current one, or today's date for an ad hoc report."""
    found = current_period(template.draft.schedule, now, zone)
    return found if found is not None else current_period(Schedule.DAILY, now, zone) or ""


def list_report_board(
    uow: UnitOfWork, principal: Principal, *, now: datetime, zone: str
) -> list[TemplateBoard]:
    """Every template of the caller's jurisdiction, at its current period."""
    boards: list[TemplateBoard] = []
    scopes = readable_scopes(principal)
    for template in list_templates(uow, principal):
        period = period_for(template, now, zone)
        units = units_due(uow, principal, template.id, period)
        reported = expected = None
        if any(len(path_codes(s)) < template.draft.submitter_level.value for s in scopes):
            found = get_aggregate(uow, principal, template.id, period=period, now=now, zone=zone)
            reported, expected = found.node.reported, found.node.expected
        due = due_at(template, period, zone)
        boards.append(TemplateBoard(template, period, due, units, reported, expected))
    return boards


def access_template_page(uow: UnitOfWork, principal: Principal, template_id: int) -> ReportTemplate:
    """A template for a page: one outside the caller's jurisdiction is refused (403), as
    every page outside one's subtree is; only an unknown id is "not found"."""
    with uow:
        try:
            return access_template(uow, principal, template_id)
        except NotFound:
            if uow.reports.template(template_id) is None:
                raise
    raise OutsideJurisdiction(
        f"{principal.username} may not read report template {template_id}: "
        "outside their jurisdiction"
    )


def may_remind(principal: Principal, template: ReportTemplate) -> bool:
    """Whether the caller runs an office over the template's area (催报, as the use case
    requires)."""
    try:
        access_issuer_area(principal, template.area_path, "remind")
    except Forbidden:
        return False
    return True
