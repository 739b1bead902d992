"""Reading cases: one case with its timeline, or a page of a subtree's cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.access import Action, Principal, readable_scopes
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.duplicates import suspected_in
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.cases.guards import allowed_actions
from civicgrid.domain.cases.positions import positions_at
from civicgrid.domain.cases.sla import Light, light_for
from civicgrid.domain.errors import InvalidInput
from civicgrid.services.case_ports import CaseFilter, CaseListing, CaseRules, Contact
from civicgrid.services.cases.intake import access_case
from civicgrid.services.cases.ticking import schedule_for
from civicgrid.services.ports import Page, UnitOfWork

MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class CaseView:
    case: Case
    events: list[CaseEvent]
    deadline_at: datetime | None
    light: Light | None
    allowed: list[str]  # actions the viewer may take now
    contact: Contact | None
    suspected_duplicates: list[int]  # flagged at intake, nearest first


def get_case(
    uow: UnitOfWork, rules: CaseRules, principal: Principal, case_id: int, *, now: datetime
) -> CaseView:
    with uow:
        case = access_case(uow, principal, case_id, Action.READ)
        events = uow.cases.events(case_id)
        contact = uow.cases.contact(case_id)
    return view_case(rules, principal, case, events, contact, now=now)


def view_case(
    rules: CaseRules,
    principal: Principal,
    case: Case,
    events: list[CaseEvent],
    contact: Contact | None,
    *,
    now: datetime,
) -> CaseView:
    """What `principal`, allowed to read `case`, sees of it, from its events in hand."""
    schedule = schedule_for(rules, case)
    held = positions_at(principal, case.area_path, department=case.department)
    allowed = sorted({a for position in held for a in allowed_actions(case, position, now)})
    light = None
    if schedule.deadline_at is not None:
        fraction = rules.elapsed_fraction(case, now)
        light = None if fraction is None else light_for(fraction)
    suspects = suspected_in(events)
    return CaseView(case, events, schedule.deadline_at, light, allowed, contact, suspects)


def list_cases(
    uow: UnitOfWork,
    principal: Principal,
    where: CaseFilter,
    *,
    page: int = 1,
    page_size: int = 50,
) -> Page[CaseListing]:
    """Cases inside the caller's jurisdiction, newest first."""
    if page < 1:
        raise InvalidInput("page must be 1 or more", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"page_size must be between 1 and {MAX_PAGE_SIZE}", field="page_size")
    with uow:
        return uow.cases.listing(
            readable_scopes(principal), where, offset=(page - 1) * page_size, limit=page_size
        )
