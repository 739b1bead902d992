"""/api/v1/indicators/cases: the evaluation figures of an area's subtree, as JSON, CSV or XLSX."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from civicgrid.adapters.files.indicator_export import indicators_csv, indicators_xlsx
from civicgrid.adapters.indicator_limits import TreeCategoryLimits
from civicgrid.api.deps import ContainerDep, CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.indicators import Indicators, Period, PeriodBasis
from civicgrid.services.cases.indicators import compute_case_indicators

router = APIRouter(prefix="/api/v1/indicators", tags=["indicators"], responses=ERROR_RESPONSES)

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


class CaseIndicatorsPublic(BaseModel):
    area: str
    department: str | None
    position: Position | None
    enterprise: bool | None = None
    start: datetime  # the period [start, end)
    end: datetime
    as_of: datetime
    basis: PeriodBasis
    indicators: Indicators


@router.get(
    "/cases",
    response_model=CaseIndicatorsPublic,
    responses={200: {"content": {CSV_TYPE: {}, XLSX_TYPE: {}}}},
)
def get_case_indicators(
    container: ContainerDep,
    principal: CurrentPrincipal,
    area: Annotated[
        str, Query(min_length=1, max_length=17, pattern=r"^\d+$", description="Area code")
    ],
    start: Annotated[datetime, Query(alias="from", description="Period start, included")],
    end: Annotated[datetime, Query(alias="to", description="Period end, excluded")],
    as_of: Annotated[datetime | None, Query(description="Replay up to here; now if absent")] = None,
    basis: PeriodBasis = PeriodBasis.EVENT,
    department: Annotated[
        str | None, Query(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")
    ] = None,
    position: Annotated[
        Position | None, Query(description="Only cases reported from this position (岗位)")
    ] = None,
    enterprise: Annotated[
        bool | None,
        Query(description="true: only enterprise requests (企业服务); false: all but them"),
    ] = None,
    format: ExportFormat = ExportFormat.JSON,
) -> CaseIndicatorsPublic | Response:
    """GB/T 30428.4-style figures of an area's subtree for [from, to), as they stood at as_of."""
    for name, at in (("from", start), ("to", end), ("as_of", as_of)):
        if at is not None and at.utcoffset() is None:
            raise InvalidInput(f"{name} needs a time zone, e.g. 2026-11-01T00:00+08:00", field=name)
    if end <= start:
        raise InvalidInput("to must be after from", field="to")
    moment = as_of or container.clock()
    limits = TreeCategoryLimits.of(container.rules)
    result = compute_case_indicators(
        container.uow(),
        limits,
        limits.calendar,
        principal,
        area_code=area,
        department=department,
        position=position,
        enterprise=enterprise,
        period=Period(start, end),
        as_of=moment,
        basis=basis,
        facts=container.indicator_facts,
    )
    public = CaseIndicatorsPublic(
        area=area,
        department=department,
        position=position,
        enterprise=enterprise,
        start=start,
        end=end,
        as_of=moment,
        basis=basis,
        indicators=result,
    )
    if format is ExportFormat.JSON:
        return public
    code = re.sub(r"[^0-9A-Za-z_-]", "_", area)  # a header takes latin-1 only
    name = f"indicators-{code}-{start:%Y%m%d}-{end:%Y%m%d}.{format.value}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format is ExportFormat.CSV:
        return Response(indicators_csv(result), media_type=CSV_TYPE, headers=headers)
    query = [
        (key, str(value))
        for key, value in public.model_dump(mode="json", exclude={"indicators"}).items()
    ]
    return Response(indicators_xlsx(result, query), media_type=XLSX_TYPE, headers=headers)
