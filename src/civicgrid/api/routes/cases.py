"""/api/v1/cases: report, list, read with the timeline, and one endpoint per action."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from civicgrid.api.deps import BearerToken, ContainerDep, CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.schemas import cases as s
from civicgrid.bootstrap import Container
from civicgrid.domain.access import Principal
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.stages import Outcome, Source, Stage
from civicgrid.services import areas as area_cases
from civicgrid.services.case_ports import CaseFilter, Contact
from civicgrid.services.cases import queries
from civicgrid.services.cases.acting import act_on_case
from civicgrid.services.cases.intake import ReportRequest
from civicgrid.services.cases.intake_batch import TokenReport

router = APIRouter(prefix="/api/v1/cases", tags=["cases"], responses=ERROR_RESPONSES)

CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _detail(container: Container, principal: Principal, case_id: int) -> s.CaseDetail:
    view = queries.get_case(
        container.uow(), container.rules, principal, case_id, now=container.clock()
    )
    return _answer(view)


def _answer(view: queries.CaseView) -> s.CaseDetail:
    contact = view.contact
    return s.CaseDetail.of(
        view.case,
        view.events,
        deadline_at=view.deadline_at,
        light=view.light,
        allowed=view.allowed,
        contact=s.ContactIn(**contact.__dict__) if contact and contact != Contact() else None,
        suspected_duplicates=view.suspected_duplicates,
    )


@router.post("", status_code=201, response_model=s.CaseDetail)
async def create_case(
    container: ContainerDep,
    token: BearerToken,
    body: s.CaseCreate,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """Report a problem at a point or an area; retries with the same Idempotency-Key are safe."""
    # The process's intake thread authenticates and writes this create together with
    # any others waiting, in one transaction, and answers once it has committed. The
    # answer is JSON built here rather than revalidated by FastAPI.
    contact = Contact(**body.contact.model_dump()) if body.contact else Contact()
    report = ReportRequest(
        category=body.category,
        description=body.description,
        source=body.source,
        lat=body.lat,
        lon=body.lon,
        area_code=body.area_code,
        urgency=body.urgency,
        contact=contact,
        attachments=tuple(body.attachments),
        idempotency_key=idempotency_key,
    )
    submitted = container.intake.submit(TokenReport(token, report))
    outcome = await asyncio.wrap_future(submitted)
    if isinstance(outcome, Exception):
        raise outcome
    principal, reported = outcome.principal, outcome.reported
    if not reported.created:
        detail = await run_in_threadpool(_detail, container, principal, reported.case.id)
        return _json(detail, status_code=200)
    # A new case is answered from what intake holds: its events and the contact given.
    view = queries.view_case(
        container.rules,
        principal,
        reported.case,
        list(reported.events),
        contact,
        now=reported.case.reported_at,
    )
    return _json(_answer(view), status_code=201)


def _json(model: BaseModel, *, status_code: int) -> Response:
    """The bytes FastAPI would send for `model` as the response model."""
    return Response(
        model.model_dump_json(by_alias=True), status_code, media_type="application/json"
    )


@router.get("")
def list_cases(
    container: ContainerDep,
    principal: CurrentPrincipal,
    within: Annotated[
        str | None, Query(max_length=17, pattern=r"^\d+$", description="Area code")
    ] = None,
    status: Annotated[str | None, Query(pattern="^(open|on_hold|closed|void)$")] = None,
    stage: Stage | None = None,
    category: Annotated[
        str | None, Query(max_length=20, pattern=r"^[a-z]+:\d+$", examples=["event:0101"])
    ] = None,
    source: Source | None = None,
    overdue: bool = False,
    reported_from: datetime | None = None,
    reported_to: datetime | None = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=queries.MAX_PAGE_SIZE)] = 50,
) -> s.CaseList:
    """Cases in the caller's jurisdiction, newest first, with their traffic lights."""
    now = container.clock()
    root = None
    if within is not None:
        root = area_cases.get_area(container.uow(), principal, within, with_geometry=False).path
    found = queries.list_cases(
        container.uow(),
        principal,
        CaseFilter(
            within=root,
            status=status,
            stage=stage,
            category=category,
            source=source,
            reported_from=reported_from,
            reported_to=reported_to,
            overdue_at=now if overdue else None,
        ),
        page=page,
        page_size=page_size,
    )
    return s.CaseList(
        data=[s.CaseSummary.of(item, item.light_at(now)) for item in found.items],
        count=found.count,
        page=page,
        page_size=page_size,
    )


@router.get("/{case_id}")
def get_case(container: ContainerDep, principal: CurrentPrincipal, case_id: CaseId) -> s.CaseDetail:
    """One case with its timeline from the event log and the actions open to the caller."""
    return _detail(container, principal, case_id)


def _act(
    container: Container,
    principal: Principal,
    case_id: int,
    action: CaseAction,
    args: dict[str, Any],
) -> s.CaseDetail:
    act_on_case(
        container.uow(),
        container.rules,
        principal,
        case_id,
        action,
        now=container.clock(),
        args=args,
        feed=container.feed,
    )
    return _detail(container, principal, case_id)


def _action_route(path: str, action: CaseAction, body_type: type[BaseModel], summary: str) -> None:
    def endpoint(
        container: ContainerDep, principal: CurrentPrincipal, case_id: CaseId, body: Any
    ) -> s.CaseDetail:
        return _act(container, principal, case_id, action, _args(action, body))

    endpoint.__annotations__["body"] = body_type
    endpoint.__name__ = f"case_{action.value}"
    router.add_api_route(
        f"/{{case_id}}/{path}",
        endpoint,
        methods=["POST"],
        summary=summary,
        response_model=s.CaseDetail,
        name=f"case_{action.value}",
    )


def _args(action: CaseAction, body: BaseModel) -> dict[str, Any]:
    data = body.model_dump()
    if "attachments" in data:
        data["attachments"] = tuple(data["attachments"])
    if action is CaseAction.CLOSE:
        data["outcome"] = Outcome(data["outcome"])
    if action is CaseAction.REQUEST_EXTENSION:
        data["working_seconds"] = round(data.pop("working_hours") * 3600)
    if action is CaseAction.MERGE_INTO:
        data["other_case_id"] = data.pop("into")
    return data


ACTION_ROUTES: list[tuple[str, CaseAction, type[BaseModel], str]] = [
    ("accept", CaseAction.ACCEPT, s.EmptyBody, "受理: accept a report"),
    ("check", CaseAction.CHECK, s.CheckBody, "核实: on-site check of a public report"),
    ("file", CaseAction.FILE, s.NoteBody, "立案: file the case"),
    ("dispatch", CaseAction.DISPATCH, s.DispatchBody, "派遣: send to a department"),
    ("handle", CaseAction.HANDLE, s.HandleBody, "处置: the department reports its work"),
    ("feedback", CaseAction.FORWARD_FEEDBACK, s.NoteBody, "反馈: forward for verification"),
    ("verify", CaseAction.VERIFY, s.VerifyBody, "核查: verify on site (fail means rework)"),
    ("close", CaseAction.CLOSE, s.CloseBody, "结案: close with an outcome"),
    ("rate", CaseAction.RATE, s.RateBody, "评价: the reporter rates the result"),
    ("reopen", CaseAction.REOPEN, s.ReasonBody, "重办: the reporter reopens"),
    ("return", CaseAction.RETURN, s.ReasonBody, "回退: back to the previous stage"),
    ("extension", CaseAction.REQUEST_EXTENSION, s.ExtensionBody, "延时: ask for more time"),
    ("extension/decision", CaseAction.DECIDE_EXTENSION, s.DecisionBody, "延时审批"),
    ("hold", CaseAction.REQUEST_HOLD, s.ReasonBody, "挂账/缓办: ask to hold"),
    ("hold/decision", CaseAction.DECIDE_HOLD, s.DecisionBody, "挂账审批"),
    ("hold/release", CaseAction.RELEASE_HOLD, s.OptionalReasonBody, "解除挂账"),
    ("void", CaseAction.VOID, s.ReasonBody, "作废: void the case"),
    ("merge", CaseAction.MERGE_INTO, s.MergeBody, "合并: close as a duplicate of another"),
    ("notes", CaseAction.NOTE, s.NoteTextBody, "备注: add a note"),
]
for _path, _action, _body, _summary in ACTION_ROUTES:
    _action_route(_path, _action, _body, _summary)
