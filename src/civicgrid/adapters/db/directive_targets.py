"""Whom a directive reaches: the targets, the fan-out and notifying receipts.

Fan-out is one INSERT … SELECT from the areas table (tens of thousands of receipts
without a round trip each), and so is the inbox notification of every receipt.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, insert, literal, select, text
from sqlalchemy.orm import Session

from civicgrid.adapters.db.base import UTCDateTime
from civicgrid.adapters.db.tables import AreaRow, AreaTagRow, NotificationRow, ReceiptRow
from civicgrid.adapters.db.tag_repository import path_range
from civicgrid.domain.areas import AreaPath, Level
from civicgrid.services.directive_ports import ReceiptFilter, Targets


def target_where(targets: Targets) -> list[ColumnElement[bool]]:
    low, high = path_range(targets.within)
    where: list[ColumnElement[bool]] = [AreaRow.path > low, AreaRow.path < high]
    if targets.level is not None:
        where.append(AreaRow.level == int(targets.level))
    for tag in targets.tags:
        where.append(exists().where(AreaTagRow.tag == tag, AreaTagRow.area_id == AreaRow.id))
    if targets.paths:
        where.append(AreaRow.path.in_(list(targets.paths)))
    return where


def count_targets(session: Session, targets: Targets) -> dict[Level, int]:
    stmt = select(AreaRow.level, func.count()).where(*target_where(targets)).group_by(AreaRow.level)
    return {Level(level): count for level, count in session.execute(stmt).all()}


def fan_out(session: Session, directive_id: int, targets: Targets) -> int:
    if session.get_bind().dialect.name == "sqlite":
        # Tens of thousands of rows into three indexes (receipts, then notifications)
        # thrash SQLite's default 2 MB page cache; 64 MB halves the time. Per
        # connection, and only as much as is used.
        session.execute(text("PRAGMA cache_size=-65536"))
    source = select(
        literal(directive_id),
        AreaRow.path,
        AreaRow.level,
        literal(0),
        literal(0),
        literal(""),
    ).where(*target_where(targets))
    columns = ["directive_id", "area_path", "level", "state", "signed_version", "note"]
    session.execute(insert(ReceiptRow).from_select(columns, source))
    # rowcount of an INSERT … SELECT is not reported by every driver (psycopg: -1).
    counted = select(func.count()).where(ReceiptRow.directive_id == directive_id)
    return int(session.execute(counted).scalar_one())


def receipt_where(
    directive_id: int, only: ReceiptFilter | None, material_version: int
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [ReceiptRow.directive_id == directive_id]
    if only is not None:
        low, high = path_range(only.within)
        where += [ReceiptRow.area_path >= low, ReceiptRow.area_path < high]
        if only.states:
            where.append(ReceiptRow.state.in_([int(s) for s in only.states]))
        if only.unsigned:
            where.append(ReceiptRow.signed_version < material_version)
    return where


def notify_receipts(
    session: Session,
    directive_id: int,
    *,
    kind: str,
    urgent: bool,
    message: str,
    now: datetime,
    only: ReceiptFilter | None = None,
    material_version: int = 1,
    count: bool = True,
) -> int:
    source = select(
        ReceiptRow.area_path,
        literal(kind),
        literal(urgent),
        literal(message),
        literal(now, UTCDateTime()),
    ).where(*receipt_where(directive_id, only, material_version))
    columns = ["area_path", "kind", "urgent", "message", "created_at"]
    where = receipt_where(directive_id, only, material_version)
    session.execute(insert(NotificationRow).from_select(columns, source))
    if not count:
        return -1
    return int(
        session.execute(select(func.count()).select_from(ReceiptRow).where(*where)).scalar_one()
    )


def receipt_paths(
    session: Session, directive_id: int, only: ReceiptFilter, material_version: int
) -> list[AreaPath]:
    stmt = select(ReceiptRow.area_path).where(*receipt_where(directive_id, only, material_version))
    return list(session.execute(stmt).scalars())
