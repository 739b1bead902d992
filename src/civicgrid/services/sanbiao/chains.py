"""链长制 and 双招双引: industry chains, investment projects, and their stage changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from civicgrid.domain.access import Action, Principal, authorize
from civicgrid.domain.errors import Conflict, InvalidInput, NotFound
from civicgrid.domain.sanbiao.builtin import PROJECTS
from civicgrid.domain.sanbiao.chains import STAGE_ORDER, Chain, Project, Stage, check_stages
from civicgrid.domain.sanbiao.peers import check_names
from civicgrid.services.areas import access_area
from civicgrid.services.sanbiao.catalogue import load_catalogue
from civicgrid.services.sanbiao.milestone_checks import check_milestones_of
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork

MAX_ENTERPRISES = 500


def add_chain(uow: SanbiaoUnitOfWork, principal: Principal, chain: Chain) -> Chain:
    check_names(chain.name_zh, chain.name_en, "chain")
    if not chain.leader.strip():
        raise InvalidInput("a chain needs its leader (链长)", field="leader")
    if len(chain.enterprises) > MAX_ENTERPRISES:
        raise InvalidInput(f"at most {MAX_ENTERPRISES} enterprises a chain", field="enterprises")
    with uow:
        area = access_area(
            uow, principal, chain.area_code, Action.MANAGE_AREAS, with_geometry=False
        )
        if any(
            c.name_zh == chain.name_zh
            for c in uow.sanbiao.chains(area.path)
            if c.area_code == area.code
        ):
            raise Conflict(f"{area.code} has a chain {chain.name_zh} already", field="name_zh")
        chain_id = uow.sanbiao.add_chain(chain, area.path)
        uow.commit()
    return replace(chain, id=chain_id)


def list_chains(uow: SanbiaoUnitOfWork, principal: Principal, area_code: str) -> list[Chain]:
    with uow:
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
        return uow.sanbiao.chains(area.path)


def add_project(
    uow: SanbiaoUnitOfWork, principal: Principal, project: Project, *, now: datetime
) -> Project:
    check_stages(project.stage, project.stage_dates, project.amount)
    if not project.name.strip():
        raise InvalidInput("a project needs a name", field="name")
    with uow:
        area = access_area(
            uow, principal, project.area_code, Action.MANAGE_AREAS, with_geometry=False
        )
        if project.chain_id is not None:
            found = uow.sanbiao.get_chain(project.chain_id)
            if found is None or not area.path.startswith(found[1]):
                raise NotFound(
                    f"no chain {project.chain_id} over area {area.code}", field="chain_id"
                )
        project_id = uow.sanbiao.add_project(project, area.path)
        _check_milestones(uow, area.code, now)
        uow.commit()
    return replace(project, id=project_id)


def advance_project(
    uow: SanbiaoUnitOfWork,
    principal: Principal,
    project_id: int,
    stage: Stage,
    on: date,
    *,
    now: datetime,
) -> Project:
    """Move a project on to a later stage, dated."""
    with uow:
        found = uow.sanbiao.get_project(project_id)
        if found is None:
            raise NotFound(f"no project {project_id}", field="project_id")
        project, path = found
        authorize(principal, Action.MANAGE_AREAS, path, f"project {project_id}")
        if STAGE_ORDER.index(stage) <= STAGE_ORDER.index(project.stage):
            raise Conflict(
                f"project {project_id} is {project.stage.value} already; stages only move forward",
                field="stage",
            )
        moved = replace(project, stage=stage, stage_dates={**project.stage_dates, stage: on})
        check_stages(moved.stage, moved.stage_dates, moved.amount)
        uow.sanbiao.update_project(moved)
        _check_milestones(uow, project.area_code, now)
        uow.commit()
    return moved


def list_projects(
    uow: SanbiaoUnitOfWork, principal: Principal, area_code: str, chain_id: int | None = None
) -> list[Project]:
    with uow:
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
        found = uow.sanbiao.projects(area.path)
    return [p for p in found if chain_id is None or p.chain_id == chain_id]


def _check_milestones(uow: SanbiaoUnitOfWork, area_code: str, now: datetime) -> None:
    area = uow.areas.get(area_code, with_geometry=False)
    if area is None:
        return
    catalogue = load_catalogue(uow)
    for code, indicator in catalogue.items():
        if indicator.source == PROJECTS:
            check_milestones_of(uow, catalogue, area, code, now=now)
