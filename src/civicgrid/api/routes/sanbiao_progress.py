"""/api/v1/milestones, /conversion, /chains and /projects: 见标志 and 看转化."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from civicgrid.adapters.files.sanbiao_reports import conversion_table
from civicgrid.api.deps import ContainerDep, CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.routes.sanbiao_deps import (
    FILE_RESPONSES,
    ContextDep,
    ExportFormat,
    UowDep,
    export_response,
)
from civicgrid.api.routes.sanbiao_indicators import AreaQuery
from civicgrid.api.schemas.sanbiao_chains import (
    AdvanceBody,
    ChainCreate,
    ChainPublic,
    ProjectCreate,
    ProjectList,
    ProjectPublic,
    StageTotalPublic,
)
from civicgrid.api.schemas.sanbiao_progress import (
    ActionCreate,
    ActionPublic,
    ApprovalBody,
    ConversionReport,
    EvidenceBody,
    LessonCreate,
    LessonPublic,
    LessonReportPublic,
    MilestoneCreate,
    MilestoneList,
    MilestonePublic,
)
from civicgrid.domain.sanbiao.chains import Chain, Project, summarise
from civicgrid.domain.sanbiao.conversion import Lesson, LessonAction
from civicgrid.domain.sanbiao.milestones import Condition, Milestone, Status
from civicgrid.services.sanbiao import chains, conversion, milestones

router = APIRouter(prefix="/api/v1", tags=["三标"], responses=ERROR_RESPONSES)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("/milestones", response_model=MilestonePublic, status_code=status.HTTP_201_CREATED)
def post_milestone(
    uow: UowDep, principal: CurrentPrincipal, context: ContextDep, body: MilestoneCreate
) -> MilestonePublic:
    """A dated milestone: checked from an indicator condition, or by hand with evidence."""
    c = body.condition
    condition = Condition(c.indicator, c.comparison, c.threshold) if c else None
    draft = Milestone(
        0,
        body.area,
        body.title_zh,
        body.title_en,
        body.deadline,
        condition,
        body.group,
        body.provenance,
    )
    stored = milestones.add_milestone(uow, principal, draft, context)
    return _fresh(uow, principal, context, stored)


@router.get("/milestones", response_model=MilestoneList)
def get_milestones(
    uow: UowDep,
    principal: CurrentPrincipal,
    context: ContextDep,
    area: AreaQuery,
    status: Status | None = None,
) -> MilestoneList:
    """The milestones of an area's subtree, with status and forecast as of today."""
    found = [
        MilestonePublic.of(m)
        for m in milestones.list_milestones(uow, principal, area, context)
        if status is None or m.assessment.status is status
    ]
    return MilestoneList(data=found, count=len(found))


@router.post("/milestones/{milestone_id}/evidence", response_model=MilestonePublic)
def post_evidence(
    uow: UowDep,
    principal: CurrentPrincipal,
    context: ContextDep,
    milestone_id: Id,
    body: EvidenceBody,
) -> MilestonePublic:
    """Attach evidence (documents, photos) to a milestone checked by hand."""
    done = milestones.attach_evidence(uow, principal, milestone_id, body.evidence)
    return _fresh(uow, principal, context, done)


@router.post("/milestones/{milestone_id}/approval", response_model=MilestonePublic)
def post_approval(
    uow: UowDep,
    principal: CurrentPrincipal,
    context: ContextDep,
    milestone_id: Id,
    body: ApprovalBody,
) -> MilestonePublic:
    """Approve a milestone's evidence: it is achieved on the given day."""
    done = milestones.approve_milestone(uow, principal, milestone_id, body.on)
    return _fresh(uow, principal, context, done)


@router.post(
    "/conversion/lessons", response_model=LessonPublic, status_code=status.HTTP_201_CREATED
)
def post_lesson(
    uow: UowDep, principal: CurrentPrincipal, context: ContextDep, body: LessonCreate
) -> LessonPublic:
    """Record a lesson from a study tour (学习成果) and the indicators it should move."""
    lesson = Lesson(
        0,
        body.area,
        body.title_zh,
        body.title_en,
        body.text,
        body.source,
        body.recorded_at or context.now,
        tuple(dict.fromkeys(body.indicators)),
        body.practice_id,
    )
    return LessonPublic.of(conversion.record_lesson(uow, principal, lesson, context))


@router.post(
    "/conversion/lessons/{lesson_id}/actions",
    response_model=ActionPublic,
    status_code=status.HTTP_201_CREATED,
)
def post_action(
    uow: UowDep, principal: CurrentPrincipal, lesson_id: Id, body: ActionCreate
) -> ActionPublic:
    """Link an action (directive, project, policy) and the milestones it serves."""
    action = LessonAction(
        0,
        lesson_id,
        body.kind,
        body.title,
        body.reference,
        tuple(dict.fromkeys(body.milestone_ids)),
    )
    return ActionPublic.of(conversion.link_action(uow, principal, action))


@router.get("/conversion", response_model=ConversionReport, responses=FILE_RESPONSES)
def get_conversion(
    uow: UowDep,
    principal: CurrentPrincipal,
    context: ContextDep,
    area: AreaQuery,
    format: ExportFormat = ExportFormat.JSON,
) -> ConversionReport | Response:
    """考察归来看转化: lessons → actions → milestones, with indicator movement."""
    reports = conversion.report_conversion(uow, principal, area, context)
    if format is not ExportFormat.JSON:
        return export_response(*conversion_table(reports), f"conversion-{area}", format)
    return ConversionReport(
        data=[LessonReportPublic.of(r) for r in reports],
        lessons_without_action=sum(r.without_action for r in reports),
        actions_without_result=sum(not a.measurable for r in reports for a in r.actions),
    )


@router.post("/chains", response_model=ChainPublic, status_code=status.HTTP_201_CREATED)
def post_chain(uow: UowDep, principal: CurrentPrincipal, body: ChainCreate) -> ChainPublic:
    """A key industry chain (链长制) with its leader and enterprises."""
    chain = Chain(
        0,
        body.area,
        body.name_zh,
        body.name_en,
        body.leader,
        tuple(body.enterprises),
        body.provenance,
    )
    return ChainPublic.of(chains.add_chain(uow, principal, chain))


@router.get("/chains", response_model=list[ChainPublic])
def get_chains(uow: UowDep, principal: CurrentPrincipal, area: AreaQuery) -> list[ChainPublic]:
    """The industry chains of an area's subtree."""
    return [ChainPublic.of(c) for c in chains.list_chains(uow, principal, area)]


@router.post("/projects", response_model=ProjectPublic, status_code=status.HTTP_201_CREATED)
def post_project(
    uow: UowDep, principal: CurrentPrincipal, container: ContainerDep, body: ProjectCreate
) -> ProjectPublic:
    """An investment project (双招双引) with its amount (亿元), stage and stage dates."""
    project = Project(
        0,
        body.area,
        body.chain_id,
        body.name,
        body.amount,
        body.stage,
        dict(body.stage_dates),
        body.provenance,
    )
    return ProjectPublic.of(chains.add_project(uow, principal, project, now=container.clock()))


@router.post("/projects/{project_id}/stage", response_model=ProjectPublic)
def post_stage(
    uow: UowDep,
    principal: CurrentPrincipal,
    container: ContainerDep,
    project_id: Id,
    body: AdvanceBody,
) -> ProjectPublic:
    """Move a project on to a later stage, dated."""
    moved = chains.advance_project(
        uow, principal, project_id, body.stage, body.on, now=container.clock()
    )
    return ProjectPublic.of(moved)


@router.get("/projects", response_model=ProjectList)
def get_projects(
    uow: UowDep,
    principal: CurrentPrincipal,
    area: AreaQuery,
    chain: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> ProjectList:
    """The projects of an area's subtree (or one chain's), with totals by chain and stage."""
    found = chains.list_projects(uow, principal, area, chain)
    return ProjectList(
        data=[ProjectPublic.of(p) for p in found],
        count=len(found),
        totals=[StageTotalPublic.of(t) for t in summarise(found)],
    )


def _fresh(
    uow: UowDep, principal: CurrentPrincipal, context: ContextDep, m: Milestone
) -> MilestonePublic:
    """The milestone as stored now, with its status."""
    found = milestones.list_milestones(uow, principal, m.area_code, context)
    return MilestonePublic.of(next(a for a in found if a.milestone.id == m.id))
