"""A person's own to-do list beside their cases: directives their units must sign,
reports their units owe for the current period, alerts nobody has acknowledged.

"Their units" are the areas of their grants: a directive or report addressed below
them is their staff's work, not theirs, and shows on the directive and report boards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.access import Action, Principal, readable_scopes, scopes_for
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.areas.codes import level_of_code
from civicgrid.domain.directives import Directive
from civicgrid.domain.directives.responding import needs_signature
from civicgrid.domain.reports import ReportTemplate
from civicgrid.domain.reports.periods import current_period, due_at
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.sensor_ports import IotUnitOfWork, StoredAlert

LOOK_AT = 50  # the newest directives checked for an unsigned receipt


@dataclass(frozen=True, slots=True)
class DirectiveToSign:
    directive: Directive
    area_code: str  # the caller's unit that must sign


@dataclass(frozen=True, slots=True)
class ReportDue:
    template: ReportTemplate
    area_code: str
    period: str
    due_at: datetime | None


def list_directives_to_sign(uow: UnitOfWork, principal: Principal) -> list[DirectiveToSign]:
    """Active directives among the newest that reached one of the caller's own units
    and wait for its signature (again, after a material revision)."""
    units = {grant.area_path: grant.area_code for grant in principal.grants}
    found = []
    with uow:
        page = uow.directives.listing(readable_scopes(principal), offset=0, limit=LOOK_AT)
        for directive in page.items:
            if not directive.active:
                continue
            for path, code in units.items():
                receipt = uow.directives.receipt(directive.id, path)
                if receipt is not None and needs_signature(directive, receipt):
                    found.append(DirectiveToSign(directive, code))
    return found


def list_reports_due(
    uow: UnitOfWork, principal: Principal, *, now: datetime, zone: str
) -> list[ReportDue]:
    """Scheduled reports one of the caller's units submits and has not for this period."""
    units = {grant.area_path: grant.area_code for grant in principal.grants}
    found = []
    with uow:
        for template in uow.reports.templates(readable_scopes(principal)):
            period = current_period(template.draft.schedule, now, zone)
            if period is None:
                continue
            for path, code in units.items():
                level = level_of_code(code)
                if level is not template.draft.submitter_level or not is_within(
                    path, template.area_path
                ):
                    continue
                if uow.reports.latest(template.id, period, path) is None:
                    found.append(ReportDue(template, code, period, due_at(template, period, zone)))
    return sorted(found, key=lambda due: (due.due_at is None, due.due_at or now))


def list_alerts_to_acknowledge(
    uow: IotUnitOfWork, principal: Principal, *, limit: int = 20
) -> list[StoredAlert]:
    """Active alerts in the caller's jurisdiction that nobody has acknowledged yet."""
    scopes = scopes_for(principal, Action.OPERATE)
    with uow:
        page = uow.alerts.within(scopes, active=True, offset=0, limit=100)
    waiting = [alert for alert in page.items if alert.acknowledged_at is None]
    return sorted(waiting, key=lambda a: (-a.severity, a.fired_at))[:limit]
