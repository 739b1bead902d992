"""Open cases for the staff map: counts per area, points in a box, density cells.

Each is one aggregate query over the status/path index, so the map's low zooms cost the
same with a million cases as with a thousand: what leaves the database is one row per
area or cell, never one per case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, case, cast, func, select, text
from sqlalchemy.orm import Session

from civicgrid.adapters.db.case_listing import _conditions
from civicgrid.adapters.db.tables import CaseRow
from civicgrid.domain.areas import AreaPath
from civicgrid.services.case_ports import AreaCaseCount, CaseFilter, CasePoint

Box = tuple[float, float, float, float]
# Grouped by position: an expression with a bound parameter, repeated in GROUP BY, is a
# second parameter to PostgreSQL, which then cannot tell the two are the same.
_BY_FIRST, _BY_SECOND = text("1"), text("2")


def _open_in(scopes: Sequence[AreaPath], within: AreaPath | None) -> list[ColumnElement[bool]]:
    return _conditions(scopes, CaseFilter(within=within, status="open"))


def _inside(box: Box) -> list[ColumnElement[bool]]:
    min_lon, min_lat, max_lon, max_lat = box
    return [CaseRow.lon.between(min_lon, max_lon), CaseRow.lat.between(min_lat, max_lat)]


def count_open_by_prefix(
    session: Session,
    scopes: Sequence[AreaPath],
    *,
    within: AreaPath,
    prefix_length: int,
    now: datetime,
) -> list[AreaCaseCount]:
    """Open cases under `within`, grouped by the first `prefix_length` characters of their
    path (the path of the area at that depth), with their red and yellow lights at `now`."""
    prefix = func.substr(CaseRow.area_path, 1, prefix_length)
    overdue = func.sum(case((CaseRow.deadline_at < now, 1), else_=0))
    warning = func.sum(
        case(((CaseRow.warning_at <= now) & (CaseRow.deadline_at >= now), 1), else_=0)
    )
    stmt = (
        select(prefix, func.count(), overdue, warning)
        .where(*_open_in(scopes, within))
        .group_by(_BY_FIRST)
    )
    return [
        AreaCaseCount(path=path, open=int(n), overdue=int(red or 0), warning=int(yellow or 0))
        for path, n, red, yellow in session.execute(stmt)
    ]


def open_points(
    session: Session, scopes: Sequence[AreaPath], box: Box, *, limit: int
) -> list[CasePoint]:
    """The newest `limit` open cases located in `box`."""
    stmt = (
        select(
            CaseRow.id,
            CaseRow.lon,
            CaseRow.lat,
            CaseRow.category,
            CaseRow.stage,
            CaseRow.warning_at,
            CaseRow.deadline_at,
        )
        .where(*_open_in(scopes, None), *_inside(box))
        .order_by(CaseRow.id.desc())
        .limit(limit)
    )
    return [
        CasePoint(
            id=row.id,
            lon=row.lon,
            lat=row.lat,
            category=row.category,
            stage=row.stage,
            warning_at=row.warning_at,
            deadline_at=row.deadline_at,
        )
        for row in session.execute(stmt)
    ]


def open_density(
    session: Session, scopes: Sequence[AreaPath], box: Box, *, cell: float
) -> list[tuple[float, float, int]]:
    """Open cases in `box` counted per square cell of `cell` degrees: (lon, lat, count)
    at each non-empty cell's centre."""
    x = cast(func.round(CaseRow.lon / cell), Integer)
    y = cast(func.round(CaseRow.lat / cell), Integer)
    stmt = (
        select(x, y, func.count())
        .where(*_open_in(scopes, None), *_inside(box))
        .group_by(_BY_FIRST, _BY_SECOND)
    )
    return [(int(i) * cell, int(j) * cell, int(n)) for i, j, n in session.execute(stmt)]
