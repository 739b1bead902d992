"""A page of cases, newest first: through a subtree index, or walking time backwards.

The subtree indexes hold (status, area_path, reported_at, id) and (area_path,
reported_at, id): a page reads the subtree's index entries, sorts them and then only
the page's rows. When the subtree holds a large share of all cases (the city's open
cases, a district across every status) sorting its entries costs more than walking
`ix_cases_reported_at` from the newest case and stopping at the page's last match, so
the listing counts first and then chooses. PostgreSQL's planner makes that choice by
itself from its statistics; SQLite's does not, and is told by a unary `+`, which keeps
a term from using an index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, RowMapping, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from civicgrid.adapters.db.area_repository import _path_range
from civicgrid.adapters.db.case_counts import counted
from civicgrid.adapters.db.tables import CaseRow
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.cases.stages import Stage
from civicgrid.domain.cases.state import Status
from civicgrid.services.ports import CaseFilter, CaseListing, Page

# Walk time first when the matches are dense enough that the walk meets the page's
# last match before sorting the subtree's entries would be done: with `share` =
# count / cases, the walk reads about (offset + limit) / share rows, each a table
# read, against `count` index entries sorted.
NEVER = datetime(9999, 12, 31, tzinfo=UTC)  # the deadline of a case without one

WALK_COST = 4  # a row read from the table, in index entries sorted

_COLUMNS = (
    CaseRow.id,
    CaseRow.category,
    CaseRow.source,
    CaseRow.urgency,
    CaseRow.stage,
    CaseRow.status,
    CaseRow.outcome,
    CaseRow.area_code,
    CaseRow.area_path,
    CaseRow.department,
    CaseRow.description,
    CaseRow.lon,
    CaseRow.lat,
    CaseRow.reported_at,
    CaseRow.stage_entered_at,
    CaseRow.deadline_at,
    CaseRow.warning_at,
    CaseRow.escalation_level,
    CaseRow.closed_at,
)


def list_page(
    session: Session,
    scopes: Sequence[AreaPath],
    where: CaseFilter,
    *,
    offset: int,
    limit: int,
) -> Page[CaseListing]:
    count = _count(session, scopes, where)
    if count <= offset:
        return Page(items=[], count=count)
    newest_first = (CaseRow.reported_at.desc(), CaseRow.id.desc())
    if session.get_bind().dialect.name == "postgresql":
        # The page's ids from index entries alone, then only their rows: sorting the
        # rows themselves reads one table row per match (30 ms → 3 ms for a
        # district's overdue cases).
        ids = (
            select(CaseRow.id)
            .where(*_conditions(scopes, where))
            .order_by(*newest_first)
            .offset(offset)
            .limit(limit)
        )
        stmt = select(*_COLUMNS).where(CaseRow.id.in_(ids)).order_by(*newest_first)
    else:
        hide = _walk_is_cheaper(session, count, offset + limit)
        stmt = (
            select(*_COLUMNS)
            .where(*_conditions(scopes, where, hide_from_indexes=hide))
            .order_by(*newest_first)
            .offset(offset)
            .limit(limit)
        )
    return Page(items=[_listing(row) for row in session.execute(stmt).mappings()], count=count)


def _count(session: Session, scopes: Sequence[AreaPath], where: CaseFilter) -> int:
    """From the counters when only the subtree and the status are asked for: the
    counters hold exactly that; any other filter counts the matching index entries."""
    if replace(where, within=None, status=None) == CaseFilter():
        return counted(session, scopes, where.within, where.status)
    stmt = select(func.count()).select_from(CaseRow).where(*_conditions(scopes, where))
    return int(session.execute(stmt).scalar_one())


def _walk_is_cheaper(session: Session, count: int, reach: int) -> bool:
    # Ids are given in order and cases are never deleted: the newest id is the number
    # of cases, found at the end of the primary key.
    cases = session.execute(select(func.max(CaseRow.id))).scalar_one() or 0
    return count * count >= WALK_COST * reach * cases


def _unindexed(column: InstrumentedAttribute[str]) -> ColumnElement[str]:
    return UnaryExpression(column.expression, operator=custom_op("+"), type_=column.type)


def _conditions(
    scopes: Sequence[AreaPath], where: CaseFilter, *, hide_from_indexes: bool = False
) -> list[ColumnElement[bool]]:
    path: ColumnElement[str] = CaseRow.area_path.expression
    status: ColumnElement[str] = CaseRow.status.expression
    if hide_from_indexes:
        path, status = _unindexed(CaseRow.area_path), _unindexed(CaseRow.status)
    found = []
    if where.within is not None:
        low, high = _path_range(where.within)
        found += [path >= low, path < high]
    # A subtree inside one of the scopes needs no second range to evaluate on every row.
    if where.within is None or not any(is_within(where.within, scope) for scope in scopes):
        found.append(_in_scopes(path, scopes))
    if where.status is not None:
        found.append(status == where.status)
    if where.stage is not None:
        found.append(CaseRow.stage == where.stage.value)
    if where.category is not None:
        found.append(CaseRow.category == where.category)
    if where.source is not None:
        found.append(CaseRow.source == where.source.value)
    if where.reported_from is not None:
        found.append(CaseRow.reported_at >= where.reported_from)
    if where.reported_to is not None:
        found.append(CaseRow.reported_at < where.reported_to)
    if where.overdue_at is not None:
        # Only an open case is overdue (closed and held stages have no limit); with the
        # status, ix_cases_status_path_deadline answers from its entries alone.
        if where.status != Status.OPEN.value:
            found.append(status == Status.OPEN.value)
        # The deadline index holds only cases with a deadline; to SQLite a bare
        # comparison says the row has one, and it would rather scan that index than
        # walk time. Through coalesce (no deadline never passes) it cannot tell.
        deadline: ColumnElement[datetime | None] = CaseRow.deadline_at.expression
        if hide_from_indexes:
            deadline = func.coalesce(CaseRow.deadline_at, NEVER)
        found.append(deadline <= where.overdue_at)
    if where.department is not None:
        found.append(CaseRow.department == where.department)
    return found


def _in_scopes(path: ColumnElement[str], scopes: Sequence[AreaPath]) -> ColumnElement[bool]:
    if not scopes:
        return false()
    ranges = [(path >= low) & (path < high) for low, high in map(_path_range, scopes)]
    return or_(*ranges)


def _listing(r: RowMapping) -> CaseListing:
    lon, lat = r["lon"], r["lat"]
    return CaseListing(
        id=r["id"],
        category=r["category"],
        source=r["source"],
        urgency=r["urgency"],
        stage=Stage(r["stage"]),
        status=r["status"],
        outcome=r["outcome"],
        area_code=r["area_code"],
        area_path=r["area_path"],
        department=r["department"],
        description=r["description"],
        location=(lon, lat) if lon is not None and lat is not None else None,
        reported_at=r["reported_at"],
        stage_entered_at=r["stage_entered_at"],
        deadline_at=r["deadline_at"],
        warning_at=r["warning_at"],
        escalation_level=r["escalation_level"],
        closed_at=r["closed_at"],
    )
