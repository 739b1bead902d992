"""Directives and receipts listed and paged, and receipts by deadline for 三标."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from civicgrid.adapters.db.directive_rows import directive_of, receipt_of
from civicgrid.adapters.db.directive_targets import receipt_where
from civicgrid.adapters.db.tables import DirectiveRow, ReceiptRow
from civicgrid.adapters.db.tag_repository import path_range
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.directives import Directive, Receipt
from civicgrid.services.directive_ports import DeadlineReceipt, ReceiptFilter
from civicgrid.services.ports import Page


def deadline_receipts(
    session: Session,
    root: AreaPath,
    deadline: Literal["sign", "complete"],
    start: datetime,
    end: datetime,
) -> list[DeadlineReceipt]:
    sign = deadline == "sign"
    due = DirectiveRow.sign_deadline_at if sign else DirectiveRow.complete_deadline_at
    answered = ReceiptRow.signed_at if sign else ReceiptRow.done_at
    low, high = path_range(root)
    stmt = (
        select(ReceiptRow.area_path, due, answered, DirectiveRow.issued_at, DirectiveRow.revoked_at)
        .join(DirectiveRow, DirectiveRow.id == ReceiptRow.directive_id)
        .where(
            due >= start,
            due < end,
            ReceiptRow.area_path >= low,
            ReceiptRow.area_path < high,
        )
    )
    return [
        DeadlineReceipt(path, at, answered_at, issued_at, revoked_at)
        for path, at, answered_at, issued_at, revoked_at in session.execute(stmt).all()
        if at is not None  # the range above excludes NULL; this tells the type checker
    ]


def receipt_page(
    session: Session, directive: Directive, where: ReceiptFilter, *, offset: int, limit: int
) -> Page[Receipt]:
    conditions = receipt_where(directive.id, where, directive.material_version)
    count = session.execute(
        select(func.count()).select_from(ReceiptRow).where(*conditions)
    ).scalar_one()
    stmt: Select[Any] = (
        select(ReceiptRow)
        .where(*conditions)
        .order_by(ReceiptRow.area_path)
        .offset(offset)
        .limit(limit)
    )
    items = [receipt_of(row) for row in session.execute(stmt).scalars()]
    return Page(items=items, count=count)


def listing(
    session: Session, scopes: Sequence[AreaPath], *, offset: int, limit: int
) -> Page[Directive]:
    if not scopes:
        return Page(items=[], count=0)
    visible: list[ColumnElement[bool]] = []
    for scope in scopes:
        low, high = path_range(scope)
        visible.append(and_(DirectiveRow.issuer_path >= low, DirectiveRow.issuer_path < high))
        visible.append(
            exists().where(
                ReceiptRow.directive_id == DirectiveRow.id,
                ReceiptRow.area_path >= low,
                ReceiptRow.area_path < high,
            )
        )
    condition = or_(*visible)
    count = session.execute(
        select(func.count()).select_from(DirectiveRow).where(condition)
    ).scalar_one()
    stmt = (
        select(DirectiveRow)
        .where(condition)
        .order_by(DirectiveRow.issued_at.desc(), DirectiveRow.id.desc())
        .offset(offset)
        .limit(limit)
    )
    items = [directive_of(row) for row in session.execute(stmt).scalars()]
    return Page(items=items, count=count)
