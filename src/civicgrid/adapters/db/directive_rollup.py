"""Roll-up: a directive's counts at an area and per child area.

One GROUP BY over the directive's receipts in each child's path range: it reads only
the covering index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select, true
from sqlalchemy.orm import Session, aliased

from civicgrid.adapters.db.among import path_array
from civicgrid.adapters.db.directive_rows import counts_of
from civicgrid.adapters.db.tables import AreaRow, ReceiptRow
from civicgrid.domain.areas import AreaPath, Level
from civicgrid.domain.directives import Counts, Directive, ReceiptState
from civicgrid.services.directive_ports import ChildArea, Rollup

_IN_PROGRESS = (int(ReceiptState.IN_PROGRESS), int(ReceiptState.REWORK))


def rollup(session: Session, directive: Directive, node: AreaPath) -> Rollup:
    signed = ReceiptRow.signed_version >= directive.material_version
    sums = (
        func.count(),  # not count(id): the covering index holds no id on PostgreSQL
        func.sum(case((signed, 1), else_=0)),
        func.sum(case((ReceiptRow.state.in_(_IN_PROGRESS), 1), else_=0)),
        func.sum(case((ReceiptRow.state == int(ReceiptState.DONE), 1), else_=0)),
    )
    own = session.execute(
        select(*sums).where(ReceiptRow.directive_id == directive.id, ReceiptRow.area_path == node)
    ).one()
    if session.get_bind().dialect.name == "postgresql":
        return Rollup(own=counts_of(*own), children=_children_pg(session, directive.id, node, sums))
    # Each child's subtree is a range of the covering index, so the database walks
    # the children and counts each range in path order: no sort of the receipts.
    parent = aliased(AreaRow)
    child_high = func.substr(AreaRow.path, 1, func.length(AreaRow.path) - 1).concat("0")
    # Grouped on the child's id alone, the sort carries one integer per receipt.
    counted = (
        select(AreaRow.id.label("area_id"), *sums)
        .join(
            ReceiptRow,
            and_(
                ReceiptRow.directive_id == directive.id,
                ReceiptRow.area_path >= AreaRow.path,
                ReceiptRow.area_path < child_high,
            ),
        )
        .where(AreaRow.parent_id == select(parent.id).where(parent.path == node).scalar_subquery())
        .group_by(AreaRow.id)
        .subquery()
    )
    named = aliased(AreaRow)
    stmt = (
        select(
            named.path,
            named.code,
            named.level,
            named.name_zh,
            named.name_en,
            *[column for name, column in counted.c.items() if name != "area_id"],
        )
        .join(counted, counted.c.area_id == named.id)
        .order_by(named.path)
    )
    children = [
        (ChildArea(path, code, Level(level), zh, en), counts_of(n, sg, p, d))
        for path, code, level, zh, en, n, sg, p, d in session.execute(stmt).all()
    ]
    return Rollup(own=counts_of(*own), children=children)


def _children_pg(
    session: Session, directive_id: int, node: AreaPath, sums: tuple[ColumnElement[Any], ...]
) -> list[tuple[ChildArea, Counts]]:
    """The children first, then one count per child's index range. Joined in one
    statement, the planner misjudges how many receipts a path range holds and, its
    statistics going stale as directives come and go, sometimes scans all areas in
    parallel instead (12–20 ms at a street instead of 1–2). A LATERAL aggregate per
    child cannot be turned into that plan."""
    parent = aliased(AreaRow)
    kids = session.execute(
        select(AreaRow.path, AreaRow.code, AreaRow.level, AreaRow.name_zh, AreaRow.name_en)
        .where(AreaRow.parent_id == select(parent.id).where(parent.path == node).scalar_subquery())
        .order_by(AreaRow.path)
    ).all()
    if not kids:
        return []
    # A child's subtree is [its path, its path with the last "/" raised to "0").
    ranges = (
        func.unnest(
            path_array([k.path for k in kids]), path_array([k.path[:-1] + "0" for k in kids])
        )
        .table_valued("low", "high", with_ordinality="n")
        .render_derived("child")
    )
    counted = (
        select(*[column.label(f"c{i}") for i, column in enumerate(sums)])
        .where(
            ReceiptRow.directive_id == directive_id,
            ReceiptRow.area_path >= ranges.c.low,
            ReceiptRow.area_path < ranges.c.high,
        )
        .lateral()
    )
    stmt = select(*counted.c).select_from(ranges).join(counted, true()).order_by(ranges.c.n)
    return [
        (ChildArea(k.path, k.code, Level(k.level), k.name_zh, k.name_en), counts_of(*row))
        for k, row in zip(kids, session.execute(stmt).all(), strict=True)
        if row[0]  # as the join above: a child without receipts is not listed
    ]
