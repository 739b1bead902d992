"""/api/v1/reports: 信息直报 — templates, submissions, aggregates, missing, urgent reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from civicgrid.adapters.report_template_files import builtin_template
from civicgrid.api.deps import ContainerDep, CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.schemas import reports as s
from civicgrid.domain.areas.area import path_codes
from civicgrid.services.reports import aggregating, templates
from civicgrid.services.reports.reminding import remind_missing
from civicgrid.services.reports.submitting import list_versions, resolve_period, submit_report
from civicgrid.services.reports.urgent import UrgentView, get_urgent_report, send_urgent_report

router = APIRouter(prefix="/api/v1/reports", tags=["reports"], responses=ERROR_RESPONSES)

TemplateId = Annotated[int, Path(ge=1, le=2**31 - 1)]
AreaCode = Annotated[str, Path(min_length=6, max_length=17, pattern=r"^\d+$")]
AtCode = Annotated[str | None, Query(min_length=6, max_length=17, pattern=r"^\d+$")]
PeriodQuery = Annotated[str | None, Query(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9-]+$")]


@router.post("/templates", status_code=201)
def create_template(
    container: ContainerDep, principal: CurrentPrincipal, body: s.TemplateCreate
) -> s.TemplatePublic:
    """A template: fields, which units submit (a level below an area) and a schedule."""
    draft = builtin_template(body.builtin) if body.builtin else body.to_domain()
    template = templates.create_template(
        container.uow(), principal, draft, body.area_code, now=container.clock()
    )
    return s.TemplatePublic.of(template)


@router.get("/templates")
def list_templates(
    container: ContainerDep, principal: CurrentPrincipal, within: AtCode = None
) -> list[s.TemplatePublic]:
    """Templates for the caller's jurisdiction; `within`: only those reaching that area."""
    found = templates.list_templates(container.uow(), principal, within=within)
    return [s.TemplatePublic.of(t) for t in found]


@router.get("/templates/{template_id}")
def get_template(
    container: ContainerDep, principal: CurrentPrincipal, template_id: TemplateId
) -> s.TemplatePublic:
    return s.TemplatePublic.of(templates.get_template(container.uow(), principal, template_id))


@router.patch("/templates/{template_id}")
def revise_template(
    container: ContainerDep,
    principal: CurrentPrincipal,
    template_id: TemplateId,
    body: s.TemplateUpdate,
) -> s.TemplatePublic:
    """Names, due time, labels, aggregates, added choices and optional fields change in
    place; a change that would alter the reports already sent is refused (422)."""
    template = templates.revise_template(
        container.uow(), principal, template_id, body.to_domain(), now=container.clock()
    )
    return s.TemplatePublic.of(template)


@router.post("/templates/{template_id}/submissions", status_code=201)
def submit(
    container: ContainerDep,
    principal: CurrentPrincipal,
    template_id: TemplateId,
    body: s.SubmissionIn,
) -> s.SubmissionPublic:
    """Submit for a period (default: the current one); again, and it is a new version."""
    submission = submit_report(
        container.uow(),
        principal,
        template_id,
        body.area_code,
        body.values,
        now=container.clock(),
        zone=container.settings.zone,
        period=body.period,
        feed=container.feed,
    )
    return s.SubmissionPublic.of(submission)


@router.get("/templates/{template_id}/submissions/{area_code}")
def versions(
    container: ContainerDep,
    principal: CurrentPrincipal,
    template_id: TemplateId,
    area_code: AreaCode,
    period: Annotated[str, Query(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9-]+$")],
) -> list[s.SubmissionPublic]:
    """Every version a unit submitted for a period, oldest first."""
    found = list_versions(container.uow(), principal, template_id, area_code, period)
    return [s.SubmissionPublic.of(v) for v in found]


@router.get("/templates/{template_id}/aggregate")
def aggregate(
    container: ContainerDep,
    principal: CurrentPrincipal,
    template_id: TemplateId,
    period: PeriodQuery = None,
    at: AtCode = None,
) -> s.AggregateOut:
    """Numeric fields summed up at an area and per child, with "N of M reported"."""
    found = aggregating.get_aggregate(
        container.uow(),
        principal,
        template_id,
        period=period,
        at=at,
        now=container.clock(),
        zone=container.settings.zone,
    )
    unit = found.template.draft.submitter_level
    return s.AggregateOut(
        template_id=found.template.id,
        period=found.period,
        due_at=found.due_at,
        node=s.AggregateRowOut.of(found.node, unit),
        children=[s.AggregateRowOut.of(row, unit) for row in found.children],
    )


@router.get("/templates/{template_id}/missing")
def missing(
    container: ContainerDep,
    principal: CurrentPrincipal,
    template_id: TemplateId,
    period: PeriodQuery = None,
    at: AtCode = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=aggregating.MAX_PAGE_SIZE)] = 100,
) -> s.MissingList:
    """The units below an area that have not reported for the period."""
    label, found = aggregating.list_missing(
        container.uow(),
        principal,
        template_id,
        period=period,
        at=at,
        now=container.clock(),
        zone=container.settings.zone,
        page=page,
        page_size=page_size,
    )
    return s.MissingList(
        period=label,
        data=[s.MissingUnit(area_code=code, name_zh=name) for _, code, name in found.items],
        count=found.count,
        page=page,
        page_size=page_size,
    )


@router.get("/templates/{template_id}/late")
def late(
    container: ContainerDep,
    principal: CurrentPrincipal,
    template_id: TemplateId,
    period: PeriodQuery = None,
    at: AtCode = None,
) -> list[s.SubmissionPublic]:
    found = aggregating.list_late(
        container.uow(),
        principal,
        template_id,
        period=period,
        at=at,
        now=container.clock(),
        zone=container.settings.zone,
    )
    return [s.SubmissionPublic.of(v) for v in found]


@router.post("/templates/{template_id}/remind")
def remind(
    container: ContainerDep,
    principal: CurrentPrincipal,
    template_id: TemplateId,
    period: PeriodQuery = None,
) -> s.RemindOut:
    """催报: remind every unit missing for the period, once per period."""
    template = templates.get_template(container.uow(), principal, template_id)
    now, zone = container.clock(), container.settings.zone
    count = remind_missing(
        container.uow(), principal, template_id, period=period, now=now, zone=zone
    )
    return s.RemindOut(period=resolve_period(template, period, now, zone), reminded=count)


def _urgent(view: UrgentView) -> s.UrgentOut:
    r = view.report
    return s.UrgentOut(
        id=r.id,
        area_code=path_codes(r.area_path)[-1],
        title=r.title,
        body=r.body,
        values=r.values,
        submitted_by=r.submitted_by,
        submitted_at=r.submitted_at,
        delivered_to=[path_codes(p)[-1] for p in view.delivered_to],
        read_by=[s.ReaderOut.of(reader) for reader in view.readers],
    )


@router.post("/urgent", status_code=201)
def urgent(container: ContainerDep, principal: CurrentPrincipal, body: s.UrgentIn) -> s.UrgentOut:
    """急报: delivered to every level above the unit at once, each with read receipts."""
    view = send_urgent_report(
        container.uow(),
        principal,
        body.area_code,
        body.title,
        body.body,
        values=body.values,
        now=container.clock(),
        feed=container.feed,
    )
    return _urgent(view)


@router.get("/urgent/{urgent_id}")
def read_urgent(
    container: ContainerDep,
    principal: CurrentPrincipal,
    urgent_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> s.UrgentOut:
    """The urgent report, the levels it reached and who has read it (see /notifications)."""
    return _urgent(get_urgent_report(container.uow(), principal, urgent_id))
