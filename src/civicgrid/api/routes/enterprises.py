"""/api/v1/enterprises: the 万人助万企 registry, its officials and the requests it files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response

from civicgrid.api.deps import ContainerDep, CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.routes.cases import get_case
from civicgrid.api.schemas import enterprises as s
from civicgrid.api.schemas.cases import CaseDetail
from civicgrid.bootstrap import Container
from civicgrid.domain.access import Principal
from civicgrid.domain.enterprises import EnterpriseDraft
from civicgrid.services import enterprises

router = APIRouter(prefix="/api/v1/enterprises", tags=["enterprises"], responses=ERROR_RESPONSES)

Uscc = Annotated[str, Path(min_length=1, max_length=40, description="统一社会信用代码")]


def _detail(container: Container, principal: Principal, uscc: str) -> s.EnterpriseDetail:
    view = enterprises.get_enterprise(
        container.uow(), principal, uscc, rules=container.rules, now=container.clock()
    )
    return s.EnterpriseDetail(
        **s.EnterprisePublic.of(view.enterprise).model_dump(),
        history=[s.HistoryPublic.of(entry) for entry in view.history],
        requests=[s.EnterpriseRequestPublic.of(r) for r in view.requests],
    )


@router.post("", status_code=201)
def create_enterprise(
    container: ContainerDep, principal: CurrentPrincipal, body: s.EnterpriseCreate
) -> s.EnterpriseDetail:
    """Register an enterprise; its USCC's check digit is verified (GB 32100-2015)."""
    enterprise = enterprises.register_enterprise(
        container.uow(),
        container.locators,
        principal,
        EnterpriseDraft(**body.model_dump()),
        now=container.clock(),
        snap_tolerance_m=container.settings.snap_tolerance_m,
    )
    return _detail(container, principal, enterprise.uscc)


@router.get("")
def list_enterprises(
    container: ContainerDep,
    principal: CurrentPrincipal,
    within: Annotated[
        str | None, Query(max_length=17, pattern=r"^\d+$", description="Area code")
    ] = None,
    name: Annotated[
        str | None, Query(max_length=200, pattern=r"^[^\x00]+$", description="Name contains")
    ] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=enterprises.MAX_PAGE_SIZE)] = 50,
) -> s.EnterpriseList:
    """Enterprises in the caller's jurisdiction, by area and name."""
    found = enterprises.list_enterprises(
        container.uow(), principal, within=within, name=name, page=page, page_size=page_size
    )
    return s.EnterpriseList(
        data=[s.EnterprisePublic.of(e) for e in found.items],
        count=found.count,
        page=page,
        page_size=page_size,
    )


@router.get("/{uscc}")
def get_enterprise(
    container: ContainerDep, principal: CurrentPrincipal, uscc: Uscc
) -> s.EnterpriseDetail:
    """One enterprise with its history and its requests, each with its case's status."""
    return _detail(container, principal, uscc)


@router.put("/{uscc}/official")
def assign_official(
    container: ContainerDep, principal: CurrentPrincipal, uscc: Uscc, body: s.OfficialAssign
) -> s.EnterpriseDetail:
    """包联: make a user, who can see the enterprise's area, its responsible official."""
    enterprise = enterprises.assign_official(
        container.uow(), principal, uscc, body.username, now=container.clock()
    )
    return _detail(container, principal, enterprise.uscc)


@router.post("/{uscc}/requests", status_code=201)
def create_enterprise_request(
    container: ContainerDep,
    principal: CurrentPrincipal,
    uscc: Uscc,
    body: s.EnterpriseRequestCreate,
    response: Response,
    idempotency_key: Annotated[
        str | None, Header(max_length=enterprises.MAX_IDEMPOTENCY_KEY)
    ] = None,
) -> CaseDetail:
    """File a request (permit, utilities, financing, land, labour …) as an enterprise-service
    case at the enterprise's area; retries with the same Idempotency-Key are safe."""
    reported = enterprises.submit_enterprise_request(
        container.uow(),
        container.locators,
        container.rules,
        principal,
        uscc,
        body.kind,
        body.description,
        now=container.clock(),
        snap_tolerance_m=container.settings.snap_tolerance_m,
        idempotency_key=idempotency_key,
        feed=container.feed,
    )
    if not reported.created:
        response.status_code = 200
    return get_case(container, principal, reported.case.id)
