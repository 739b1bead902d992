"""What every 三标 route is given: its unit of work, the use case's context, and a way
to answer with a file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Response

from civicgrid.adapters.db.sanbiao_uow import SqlSanbiaoUnitOfWork, sanbiao_context
from civicgrid.adapters.files.sanbiao_tables import Cell, table_csv, table_xlsx
from civicgrid.api.deps import ContainerDep
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork


def get_uow(container: ContainerDep) -> SanbiaoUnitOfWork:
    return SqlSanbiaoUnitOfWork(container.session_factory)


def get_context(container: ContainerDep) -> Context:
    return sanbiao_context(container.rules, container.settings.zone, container.clock())


UowDep = Annotated[SanbiaoUnitOfWork, Depends(get_uow)]
ContextDep = Annotated[Context, Depends(get_context)]


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {200: {"content": {CSV_TYPE: {}, XLSX_TYPE: {}}}}


def export_response(
    header: Sequence[str], rows: Sequence[Sequence[Cell]], name: str, format: ExportFormat
) -> Response:
    """A table as a CSV or XLSX download; `name` is ASCII (a header takes latin-1 only)."""
    safe = re.sub(r"[^0-9A-Za-z_.-]", "_", name)
    headers = {"Content-Disposition": f'attachment; filename="{safe}.{format.value}"'}
    if format is ExportFormat.CSV:
        return Response(table_csv(header, rows), media_type=CSV_TYPE, headers=headers)
    return Response(table_xlsx(header, rows, safe), media_type=XLSX_TYPE, headers=headers)
