"""/api/v1/standards and /api/v1/gaps: targets, their cascades, gaps and rankings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from civicgrid.adapters.files.sanbiao_reports import gap_table, ranking_table
from civicgrid.api.deps import CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.routes.sanbiao_deps import (
    FILE_RESPONSES,
    ContextDep,
    ExportFormat,
    UowDep,
    export_response,
)
from civicgrid.api.routes.sanbiao_indicators import AreaQuery, CodeQuery, PeriodQuery
from civicgrid.api.schemas.areas import AreaRef
from civicgrid.api.schemas.sanbiao import (
    CascadeCreate,
    IndicatorPublic,
    StandardCreate,
    StandardList,
    StandardPublic,
)
from civicgrid.api.schemas.sanbiao_gaps import GapAnalysis, GapRowPublic, Ranking, RankRowPublic
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.sanbiao.periods import PeriodKey
from civicgrid.services.sanbiao.cascading import CascadeRequest, cascade_standard
from civicgrid.services.sanbiao.catalogue import list_indicators
from civicgrid.services.sanbiao.gaps import analyse_gaps, rank_areas
from civicgrid.services.sanbiao.standards import StandardRequest, list_standards, set_standard

router = APIRouter(prefix="/api/v1", tags=["三标"], responses=ERROR_RESPONSES)


@router.post("/standards", response_model=StandardPublic, status_code=status.HTTP_201_CREATED)
def post_standard(
    uow: UowDep, principal: CurrentPrincipal, context: ContextDep, body: StandardCreate
) -> StandardPublic:
    """Set a target by hand or derive it from benchmarks; the derivation is kept with it."""
    request = StandardRequest(
        body.area,
        body.indicator,
        body.period,
        body.rule,
        body.target,
        body.peer_id,
        body.group_id,
        body.year,
        body.factor,
        body.top_percent,
        body.rate_percent,
        body.baseline_period,
    )
    return StandardPublic.of(set_standard(uow, principal, request, context))


@router.get("/standards", response_model=StandardList)
def get_standards(
    uow: UowDep,
    principal: CurrentPrincipal,
    area: AreaQuery,
    indicator: CodeQuery | None = None,
    period: PeriodQuery | None = None,
) -> StandardList:
    """The standards of an area's subtree."""
    found = [StandardPublic.of(s) for s in list_standards(uow, principal, area, indicator, period)]
    return StandardList(data=found, count=len(found))


@router.post(
    "/standards/{standard_id}/cascade",
    response_model=StandardList,
    status_code=status.HTTP_201_CREATED,
)
def post_cascade(
    uow: UowDep,
    principal: CurrentPrincipal,
    context: ContextDep,
    standard_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: CascadeCreate,
) -> StandardList:
    """Split a standard down to the area's children, by weights or by a base indicator."""
    request = CascadeRequest(
        standard_id,
        dict(body.weights) if body.weights else None,
        body.base_indicator,
        body.base_period,
    )
    found = [StandardPublic.of(s) for s in cascade_standard(uow, principal, request, context)]
    return StandardList(data=found, count=len(found))


@router.get("/gaps", response_model=GapAnalysis, responses=FILE_RESPONSES)
def get_gaps(
    uow: UowDep,
    principal: CurrentPrincipal,
    context: ContextDep,
    area: AreaQuery,
    period: PeriodQuery | None = None,
    indicator: Annotated[list[str] | None, Query(max_length=50)] = None,
    format: ExportFormat = ExportFormat.JSON,
) -> GapAnalysis | Response:
    """Each indicator of the area: value, standard, best benchmark, gaps, trend, rank."""
    codes = [_code(c) for c in indicator or []]
    found, rows = analyse_gaps(uow, principal, area, context, period=period, indicators=codes)
    if format is not ExportFormat.JSON:
        return export_response(*gap_table(rows), f"gaps-{found.code}", format)
    data = [GapRowPublic.of(r) for r in rows]
    return GapAnalysis(area=AreaRef.of(found), data=data, count=len(data))


@router.get("/gaps/ranking", response_model=Ranking, responses=FILE_RESPONSES)
def get_ranking(
    uow: UowDep,
    principal: CurrentPrincipal,
    context: ContextDep,
    indicator: CodeQuery,
    period: PeriodQuery,
    areas: Annotated[str, Query(min_length=1, max_length=2000, pattern=r"^\d+(,\d+)*$")],
    format: ExportFormat = ExportFormat.JSON,
) -> Ranking | Response:
    """Areas (e.g. the six central districts) ranked, with rank changes since last period."""
    codes = areas.split(",")
    rows = rank_areas(uow, principal, codes, indicator, period, context)
    if format is not ExportFormat.JSON:
        return export_response(*ranking_table(rows), f"ranking-{period}", format)
    chosen = next(i for i in list_indicators(uow) if i.code == indicator)
    key = PeriodKey.parse(period)
    return Ranking(
        indicator=IndicatorPublic.of(chosen),
        period=key.key,
        previous_period=key.previous().key,
        data=[RankRowPublic.of(r) for r in rows],
    )


def _code(code: str) -> str:
    if not code or len(code) > 64:
        raise InvalidInput("an indicator code is 2-64 characters", field="indicator")
    return code
