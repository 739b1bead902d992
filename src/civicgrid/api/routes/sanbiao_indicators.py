"""/api/v1/indicators/catalogue and /values: the 三标 catalogue and reported values.

/api/v1/indicators/cases (routes/indicators.py) stays as it is.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from civicgrid.adapters.files.sanbiao_tables import Cell
from civicgrid.adapters.files.sanbiao_values_file import read_values_file
from civicgrid.api.deps import ContainerDep, CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES, error_response
from civicgrid.api.routes.sanbiao_deps import (
    FILE_RESPONSES,
    XLSX_TYPE,
    ContextDep,
    ExportFormat,
    UowDep,
    export_response,
)
from civicgrid.api.schemas.sanbiao import (
    ImportResult,
    IndicatorCreate,
    IndicatorList,
    IndicatorPublic,
    SeriesPoint,
    SeriesPublic,
    ValueCreate,
    ValueHistory,
    ValuePublic,
)
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.sanbiao.catalogue import Kind, Theme
from civicgrid.services.sanbiao.catalogue import add_indicator, list_indicators
from civicgrid.services.sanbiao.importing import import_values
from civicgrid.services.sanbiao.values import (
    ValueEntry,
    current_values_within,
    enter_value,
    read_series,
    value_history,
)

router = APIRouter(prefix="/api/v1/indicators", tags=["三标"], responses=ERROR_RESPONSES)

CodeQuery = Annotated[str, Query(min_length=2, max_length=64, pattern=r"^[a-z][a-z0-9_.]+$")]
AreaQuery = Annotated[str, Query(min_length=1, max_length=17, pattern=r"^\d+$")]
PeriodQuery = Annotated[str, Query(min_length=4, max_length=7, pattern=r"^\d{4}(-Q[1-4]|-\d{2})?$")]


@router.get("/catalogue", response_model=IndicatorList)
def get_catalogue(
    uow: UowDep, _: CurrentPrincipal, kind: Kind | None = None, theme: Theme | None = None
) -> IndicatorList:
    """Every indicator (or those of one kind or theme): code, names, unit, direction,
    aggregation, periodicity, theme."""
    found = [
        IndicatorPublic.of(i)
        for i in list_indicators(uow)
        if (kind is None or i.kind is kind) and (theme is None or i.theme is theme)
    ]
    return IndicatorList(data=found, count=len(found))


@router.post("/catalogue", response_model=IndicatorPublic, status_code=status.HTTP_201_CREATED)
def post_indicator(
    uow: UowDep, principal: CurrentPrincipal, body: IndicatorCreate
) -> IndicatorPublic:
    """Add a reported indicator to the catalogue (administrators)."""
    indicator = body.to_domain()
    add_indicator(uow, principal, indicator)
    return IndicatorPublic.of(indicator)


@router.post("/values", response_model=ValuePublic, status_code=status.HTTP_201_CREATED)
def post_value(
    uow: UowDep, principal: CurrentPrincipal, body: ValueCreate, container: ContainerDep
) -> ValuePublic:
    """Enter a reported value; entering one again for the same period is a correction,
    which needs a reason and keeps the earlier version in the history."""
    entry = ValueEntry(body.indicator, body.area, body.period, body.value, body.source, body.reason)
    return ValuePublic.of(enter_value(uow, principal, entry, now=container.clock()))


@router.get("/values", response_model=ValueHistory)
def get_values(
    uow: UowDep,
    principal: CurrentPrincipal,
    indicator: CodeQuery,
    area: AreaQuery,
    period: PeriodQuery,
) -> ValueHistory:
    """The history of one value: every version, with who, when, source and reason."""
    found = [ValuePublic.of(v) for v in value_history(uow, principal, indicator, area, period)]
    return ValueHistory(data=found, count=len(found))


IMPORT_TYPES = {"csv": "text/csv", "xlsx": XLSX_TYPE}
MAX_ERRORS_SHOWN = 100


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@router.post(
    "/values/import",
    response_model=ImportResult,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def post_values_import(
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    container: ContainerDep,
    format: FileFormat,
    per_row: Annotated[
        bool, Query(description="Store each good row even if others are bad (default: none)")
    ] = False,
) -> ImportResult | JSONResponse:
    """Import reported values from the CSV or XLSX body: all rows or none, unless per_row."""
    data = await request.body()
    if not data:
        raise InvalidInput("send the file as the request body", field="file")
    read = await run_in_threadpool(read_values_file, data, f"values.{format.value}")
    report = await run_in_threadpool(
        import_values, uow, principal, read, per_row=per_row, now=container.clock()
    )
    if report.errors and not per_row:
        shown = "; ".join(
            f"line {e.line}" + (f" ({e.field})" if e.field else "") + f": {e.message}"
            for e in report.errors[:MAX_ERRORS_SHOWN]
        )
        message = f"{len(report.errors)} row(s) have problems, so nothing was stored: {shown}"
        return error_response(422, "invalid_input", message, "file")
    return ImportResult.of(report)


@router.get("/values/export", responses=FILE_RESPONSES, response_class=Response)
def get_values_export(
    uow: UowDep,
    principal: CurrentPrincipal,
    indicator: CodeQuery,
    area: AreaQuery,
    format: FileFormat = FileFormat.CSV,
) -> Response:
    """The standing value of every area and period of the subtree, as CSV or XLSX."""
    found = current_values_within(uow, principal, indicator, area)
    header = [
        "indicator",
        "area",
        "period",
        "value",
        "source",
        "version",
        "entered_by",
        "entered_at",
        "reason",
    ]
    rows: list[list[Cell]] = [
        [
            v.indicator,
            v.area_code,
            v.period,
            v.value,
            v.source,
            v.version,
            v.entered_by,
            v.entered_at.isoformat(),
            v.reason,
        ]
        for v in found
    ]
    return export_response(header, rows, f"values-{indicator}-{area}", ExportFormat(format.value))


@router.get("/series", response_model=SeriesPublic)
def get_series(
    uow: UowDep,
    principal: CurrentPrincipal,
    context: ContextDep,
    indicator: CodeQuery,
    area: AreaQuery,
    period: PeriodQuery | None = None,
) -> SeriesPublic:
    """Any indicator's value for one period (computed ones recomputed from the logs), or
    its series: every reported period, or a computed one's last few before today."""
    found = read_series(uow, principal, indicator, area, context, period)
    points = [SeriesPoint(period=p.key, value=v) for p, v in found]
    return SeriesPublic(indicator=indicator, area=area, data=points, count=len(points))
