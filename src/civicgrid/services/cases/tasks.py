"""Cases waiting for the caller: those at a stage where their position does the work.

A position's stages come from `ALLOWED_ACTIONS` (the main path's actions only: notes,
returns and voiding are possible almost anywhere and make no stage anyone's task).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.access import Principal, readable_scopes
from civicgrid.domain.cases.actions import ALLOWED_ACTIONS, CaseAction
from civicgrid.domain.cases.positions import POSITION_OF_ROLE
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Stage
from civicgrid.services.case_ports import CaseFilter, CaseListing
from civicgrid.services.ports import Page, UnitOfWork

WORK_ACTIONS = frozenset(
    {
        CaseAction.ACCEPT,
        CaseAction.CHECK,
        CaseAction.FILE,
        CaseAction.DISPATCH,
        CaseAction.HANDLE,
        CaseAction.FORWARD_FEEDBACK,
        CaseAction.VERIFY,
        CaseAction.CLOSE,
    }
)


def stages_to_work(position: Position) -> tuple[Stage, ...]:
    """The stages at which `position` moves a case on, in workflow order."""
    return tuple(
        stage
        for stage in Stage
        if any(position in ALLOWED_ACTIONS.get((stage, a), ()) for a in WORK_ACTIONS)
    )


@dataclass(frozen=True, slots=True)
class CaseTasks:
    items: list[CaseListing]  # the most pressing first: earliest deadline
    count: int  # all waiting, beyond the items shown


def list_my_cases(uow: UnitOfWork, principal: Principal, *, limit: int = 20) -> CaseTasks:
    """Open cases at a stage of the caller's position, inside that position's area (a
    handler: dispatched to their department only)."""
    found: dict[int, CaseListing] = {}
    count = 0
    with uow:
        for grant in principal.grants:
            position = POSITION_OF_ROLE.get(grant.role)
            if position is None:
                continue
            department = grant.department or None if position is Position.HANDLER else None
            for stage in stages_to_work(position):
                where = CaseFilter(
                    within=grant.area_path, status="open", stage=stage, department=department
                )
                page = uow.cases.listing([grant.area_path], where, offset=0, limit=limit)
                count += page.count
                found.update((item.id, item) for item in page.items)
    items = sorted(found.values(), key=_urgency)[:limit]
    return CaseTasks(items, max(count, len(found)))


def list_open_in_area(
    uow: UnitOfWork, principal: Principal, *, limit: int = 10
) -> Page[CaseListing]:
    """The newest open cases anywhere in the caller's jurisdiction, and how many there
    are: what an officer, who holds no workflow position, watches. (Not the overdue
    ones: deadlines are not in the subtree index, so counting them reads every open
    case's row; the case list does that on request.)"""
    where = CaseFilter(status="open")
    with uow:
        return uow.cases.listing(readable_scopes(principal), where, offset=0, limit=limit)


def _urgency(item: CaseListing) -> tuple[bool, datetime, int]:
    deadline = item.deadline_at or item.reported_at
    return (item.deadline_at is None, deadline, item.id)
