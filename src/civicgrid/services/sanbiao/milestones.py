"""见标志: milestones, their evidence and approval, and their honest status."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from civicgrid.domain.access import Action, Principal, authorize
from civicgrid.domain.areas import Area
from civicgrid.domain.errors import Conflict, InvalidInput, NotFound
from civicgrid.domain.sanbiao.milestones import Assessment, Milestone, assess, check_title
from civicgrid.services.areas import access_area
from civicgrid.services.sanbiao.catalogue import indicator_in, load_catalogue
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.milestone_checks import check_milestones_of
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork
from civicgrid.services.sanbiao.reading import ValueReader

MAX_EVIDENCE = 50


@dataclass(frozen=True, slots=True)
class AssessedMilestone:
    milestone: Milestone
    assessment: Assessment


def add_milestone(
    uow: SanbiaoUnitOfWork, principal: Principal, milestone: Milestone, context: Context
) -> Milestone:
    check_title(milestone.title_zh, milestone.title_en)
    with uow:
        area = access_area(
            uow, principal, milestone.area_code, Action.MANAGE_AREAS, with_geometry=False
        )
        catalogue = load_catalogue(uow)
        if milestone.condition is not None:
            indicator_in(catalogue, milestone.condition.indicator)
        stored = replace(milestone, created_at=context.now, achieved_on=None, approved_by=None)
        milestone_id = uow.sanbiao.add_milestone(stored, area.path, principal.username)
        if milestone.condition is not None:  # values already in may meet it at once
            check_milestones_of(
                uow, catalogue, area, milestone.condition.indicator, now=context.now
            )
        uow.commit()
    return replace(stored, id=milestone_id)


def attach_evidence(
    uow: SanbiaoUnitOfWork, principal: Principal, milestone_id: int, evidence: list[str]
) -> Milestone:
    """Documents or photos (attachment ids or references) for a milestone checked by hand."""
    with uow:
        milestone, path = _milestone(uow, milestone_id)
        authorize(principal, Action.OPERATE, path, f"milestone {milestone_id}")
        if milestone.condition is not None:
            raise InvalidInput(
                "this milestone is checked from its indicator, not by evidence", field="evidence"
            )
        combined = list(dict.fromkeys([*milestone.evidence, *evidence]))
        if len(combined) > MAX_EVIDENCE:
            raise InvalidInput(f"at most {MAX_EVIDENCE} evidence items", field="evidence")
        uow.sanbiao.update_milestone(
            milestone_id,
            evidence=combined,
            approved_by=milestone.approved_by,
            achieved_on=milestone.achieved_on,
        )
        uow.commit()
    return replace(milestone, evidence=tuple(combined))


def approve_milestone(
    uow: SanbiaoUnitOfWork, principal: Principal, milestone_id: int, on: date
) -> Milestone:
    """The approver confirms the evidence shows the outcome; they cannot approve their own
    area's claim without evidence."""
    with uow:
        milestone, path = _milestone(uow, milestone_id)
        authorize(principal, Action.MANAGE_AREAS, path, f"milestone {milestone_id}")
        if milestone.condition is not None:
            raise InvalidInput(
                "this milestone is achieved by its indicator's values", field="milestone_id"
            )
        if not milestone.evidence:
            raise InvalidInput("attach evidence before approving", field="evidence")
        if milestone.approved_by is not None:
            raise Conflict(f"milestone {milestone_id} was approved by {milestone.approved_by}")
        uow.sanbiao.update_milestone(
            milestone_id,
            evidence=milestone.evidence,
            approved_by=principal.username,
            achieved_on=on,
        )
        uow.commit()
    return replace(milestone, approved_by=principal.username, achieved_on=on)


def list_milestones(
    uow: SanbiaoUnitOfWork, principal: Principal, area_code: str, context: Context
) -> list[AssessedMilestone]:
    """The milestones of an area's subtree, each assessed as of today."""
    with uow:
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
        return assess_within(uow, area, context)


def assess_within(uow: SanbiaoUnitOfWork, area: Area, context: Context) -> list[AssessedMilestone]:
    """Inside an open unit of work."""
    catalogue = load_catalogue(uow)
    reader = ValueReader(uow, catalogue, context)
    owners: dict[str, Area | None] = {}
    found = []
    for m in uow.sanbiao.milestones(area.path):
        points = []
        if m.condition is not None:
            if m.area_code not in owners:
                owners[m.area_code] = uow.areas.get(m.area_code, with_geometry=False)
            owner = owners[m.area_code]
            if owner is not None:
                points = reader.points(catalogue[m.condition.indicator], owner)
        found.append(AssessedMilestone(m, assess(m, points, context.today)))
    return found


def _milestone(uow: SanbiaoUnitOfWork, milestone_id: int) -> tuple[Milestone, str]:
    found = uow.sanbiao.get_milestone(milestone_id)
    if found is None:
        raise NotFound(f"no milestone {milestone_id}", field="milestone_id")
    return found
