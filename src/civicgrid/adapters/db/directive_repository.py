"""Directives on SQLAlchemy: fan-out and roll-up are single set-based statements.

Fan-out is one INSERT … SELECT from the areas table (tens of thousands of receipts
without a round trip each), and so is the inbox notification of every receipt.
Roll-up is one GROUP BY over a directive's receipts in a subtree's path range, on
the path prefix that names each child: it reads only the covering index.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, aliased

from civicgrid.adapters.db.base import UTCDateTime
from civicgrid.adapters.db.tables import (
    AreaRow,
    AreaTagRow,
    DirectiveRow,
    DirectiveVersionRow,
    NotificationRow,
    ReceiptRow,
)
from civicgrid.adapters.db.tag_repository import path_range
from civicgrid.domain.areas import AreaPath, Level
from civicgrid.domain.directives import (
    Content,
    Counts,
    Directive,
    Priority,
    Receipt,
    ReceiptState,
    Selection,
    Status,
)
from civicgrid.domain.errors import Conflict
from civicgrid.domain.forms import parse_form
from civicgrid.services.directive_ports import (
    ChildArea,
    DeadlineReceipt,
    NewDirective,
    ReceiptFilter,
    Rollup,
    Targets,
    Version,
)
from civicgrid.services.ports import Page

_IN_PROGRESS = (int(ReceiptState.IN_PROGRESS), int(ReceiptState.REWORK))
STEPS = ("sign_reminded_at", "sign_escalated_at", "complete_reminded_at", "complete_escalated_at")


class SqlDirectiveRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # Read-only, for the 三标 on-time rates

    def deadline_receipts(
        self, root: AreaPath, deadline: Literal["sign", "complete"], start: datetime, end: datetime
    ) -> list[DeadlineReceipt]:
        sign = deadline == "sign"
        due = DirectiveRow.sign_deadline_at if sign else DirectiveRow.complete_deadline_at
        answered = ReceiptRow.signed_at if sign else ReceiptRow.done_at
        low, high = path_range(root)
        stmt = (
            select(
                ReceiptRow.area_path, due, answered, DirectiveRow.issued_at, DirectiveRow.revoked_at
            )
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
            for path, at, answered_at, issued_at, revoked_at in self._session.execute(stmt).all()
            if at is not None  # the range above excludes NULL; this tells the type checker
        ]

    # Targets and fan-out

    def _targets(self, targets: Targets) -> list[ColumnElement[bool]]:
        low, high = path_range(targets.within)
        where: list[ColumnElement[bool]] = [AreaRow.path > low, AreaRow.path < high]
        if targets.level is not None:
            where.append(AreaRow.level == int(targets.level))
        for tag in targets.tags:
            where.append(exists().where(AreaTagRow.tag == tag, AreaTagRow.area_id == AreaRow.id))
        if targets.paths:
            where.append(AreaRow.path.in_(list(targets.paths)))
        return where

    def count_targets(self, targets: Targets) -> dict[Level, int]:
        stmt = (
            select(AreaRow.level, func.count())
            .where(*self._targets(targets))
            .group_by(AreaRow.level)
        )
        return {Level(level): count for level, count in self._session.execute(stmt).all()}

    def fan_out(self, directive_id: int, targets: Targets) -> int:
        if self._session.get_bind().dialect.name == "sqlite":
            # Tens of thousands of rows into three indexes (receipts, then notifications)
            # thrash SQLite's default 2 MB page cache; 64 MB halves the time. Per
            # connection, and only as much as is used.
            self._session.execute(text("PRAGMA cache_size=-65536"))
        source = select(
            literal(directive_id),
            AreaRow.path,
            AreaRow.level,
            literal(0),
            literal(0),
            literal(""),
        ).where(*self._targets(targets))
        columns = ["directive_id", "area_path", "level", "state", "signed_version", "note"]
        self._session.execute(insert(ReceiptRow).from_select(columns, source))
        # rowcount of an INSERT … SELECT is not reported by every driver (psycopg: -1).
        counted = select(func.count()).where(ReceiptRow.directive_id == directive_id)
        return int(self._session.execute(counted).scalar_one())

    def _receipt_where(
        self, directive_id: int, only: ReceiptFilter | None, material_version: int
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
        self,
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
        ).where(*self._receipt_where(directive_id, only, material_version))
        columns = ["area_path", "kind", "urgent", "message", "created_at"]
        where = self._receipt_where(directive_id, only, material_version)
        self._session.execute(insert(NotificationRow).from_select(columns, source))
        if not count:
            return -1
        return int(
            self._session.execute(
                select(func.count()).select_from(ReceiptRow).where(*where)
            ).scalar_one()
        )

    def receipt_paths(
        self, directive_id: int, only: ReceiptFilter, material_version: int
    ) -> list[AreaPath]:
        stmt = select(ReceiptRow.area_path).where(
            *self._receipt_where(directive_id, only, material_version)
        )
        return list(self._session.execute(stmt).scalars())

    # Directives and versions

    def add(self, new: NewDirective) -> int:
        row = DirectiveRow(
            issuer_path=new.issuer_path,
            issued_by=new.issued_by,
            issued_at=new.issued_at,
            selection=new.selection.as_dict(),
            target_count=0,
            version=1,
            material_version=1,
            status=Status.ACTIVE.value,
            **_content_values(new.content),
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def get(self, directive_id: int) -> Directive | None:
        row = self._session.get(DirectiveRow, directive_id)
        return None if row is None else _directive(row)

    def save(self, directive: Directive) -> None:
        row = self._session.get(DirectiveRow, directive.id)
        if row is None:
            raise Conflict(f"directive {directive.id} is gone")
        content = directive.content
        # A moved deadline gets its reminder and escalation again.
        if row.sign_deadline_at != content.sign_deadline_at:
            row.sign_reminded_at = row.sign_escalated_at = None
        if row.complete_deadline_at != content.complete_deadline_at:
            row.complete_reminded_at = row.complete_escalated_at = None
        for name, value in _content_values(content).items():
            setattr(row, name, value)
        row.target_count = directive.target_count
        row.version = directive.version
        row.material_version = directive.material_version
        row.status = directive.status.value
        row.revoked_at = directive.revoked_at
        self._session.flush()

    def add_version(self, directive_id: int, version: Version, content: Content) -> None:
        snapshot = {
            k: v.isoformat() if isinstance(v, datetime) else v
            for k, v in _content_values(content).items()
        }
        self._session.add(
            DirectiveVersionRow(
                directive_id=directive_id,
                version=version.version,
                at=version.at,
                actor=version.actor,
                material=version.material,
                changes=version.changes,
                snapshot=snapshot,
            )
        )
        self._session.flush()

    def versions(self, directive_id: int) -> list[Version]:
        stmt = (
            select(DirectiveVersionRow)
            .where(DirectiveVersionRow.directive_id == directive_id)
            .order_by(DirectiveVersionRow.version)
        )
        return [
            Version(r.version, r.at, r.actor, r.material, r.changes)
            for r in self._session.execute(stmt).scalars()
        ]

    # Receipts

    def receipt(self, directive_id: int, area_path: AreaPath) -> Receipt | None:
        row = self._session.execute(
            select(ReceiptRow).where(
                ReceiptRow.directive_id == directive_id, ReceiptRow.area_path == area_path
            )
        ).scalar_one_or_none()
        return None if row is None else _receipt(row)

    def save_receipt(self, old: Receipt, new: Receipt) -> None:
        # Compare-and-set on what the use case read: a concurrent change makes it 0 rows.
        result = self._session.execute(
            update(ReceiptRow)
            .where(
                ReceiptRow.id == old.id,
                ReceiptRow.state == int(old.state),
                ReceiptRow.signed_version == old.signed_version,
            )
            .values(
                state=int(new.state),
                signed_version=new.signed_version,
                signed_at=new.signed_at,
                progress=new.progress,
                note=new.note,
                feedback=new.feedback or None,
                done_at=new.done_at,
                updated_at=new.updated_at,
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"the receipt of {old.area_code} changed meanwhile; try again")

    def receipts_of_units(self, directive_id: int, codes: Sequence[str]) -> list[Receipt]:
        found: list[Receipt] = []
        for start in range(0, len(codes), 500):
            chunk = list(codes[start : start + 500])
            stmt = (
                select(ReceiptRow)
                .join(AreaRow, AreaRow.path == ReceiptRow.area_path)
                .where(ReceiptRow.directive_id == directive_id, AreaRow.code.in_(chunk))
                # Held until the commit: the batch's compare-and-set cannot be raced.
                .with_for_update(of=ReceiptRow)
            )
            found.extend(_receipt(row) for row in self._session.execute(stmt).scalars())
        return found

    def sign_receipts(
        self, receipt_ids: Sequence[int], version: int, material_version: int, now: datetime
    ) -> None:
        # One statement for the batch: the same version and instant for all, a pending
        # receipt becomes signed, any other keeps its state.
        for start in range(0, len(receipt_ids), 500):
            chunk = list(receipt_ids[start : start + 500])
            result = self._session.execute(
                update(ReceiptRow)
                .where(ReceiptRow.id.in_(chunk), ReceiptRow.signed_version < material_version)
                .values(
                    signed_version=version,
                    signed_at=now,
                    updated_at=now,
                    state=case(
                        (ReceiptRow.state == int(ReceiptState.PENDING), int(ReceiptState.SIGNED)),
                        else_=ReceiptRow.state,
                    ),
                )
            )
            if result.rowcount != len(chunk):  # type: ignore[attr-defined]
                raise Conflict("some receipts changed meanwhile; nothing was signed, try again")

    def rollup(self, directive: Directive, node: AreaPath) -> Rollup:
        signed = ReceiptRow.signed_version >= directive.material_version
        sums = (
            func.count(),  # not count(id): the covering index holds no id on PostgreSQL
            func.sum(case((signed, 1), else_=0)),
            func.sum(case((ReceiptRow.state.in_(_IN_PROGRESS), 1), else_=0)),
            func.sum(case((ReceiptRow.state == int(ReceiptState.DONE), 1), else_=0)),
        )
        own = self._session.execute(
            select(*sums).where(
                ReceiptRow.directive_id == directive.id, ReceiptRow.area_path == node
            )
        ).one()
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
            .where(
                AreaRow.parent_id == select(parent.id).where(parent.path == node).scalar_subquery()
            )
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
            (ChildArea(path, code, Level(level), zh, en), _counts(n, sg, p, d))
            for path, code, level, zh, en, n, sg, p, d in self._session.execute(stmt).all()
        ]
        return Rollup(own=_counts(*own), children=children)

    def receipts(
        self, directive: Directive, where: ReceiptFilter, *, offset: int, limit: int
    ) -> Page[Receipt]:
        conditions = self._receipt_where(directive.id, where, directive.material_version)
        count = self._session.execute(
            select(func.count()).select_from(ReceiptRow).where(*conditions)
        ).scalar_one()
        stmt: Select[Any] = (
            select(ReceiptRow)
            .where(*conditions)
            .order_by(ReceiptRow.area_path)
            .offset(offset)
            .limit(limit)
        )
        items = [_receipt(row) for row in self._session.execute(stmt).scalars()]
        return Page(items=items, count=count)

    def listing(self, scopes: Sequence[AreaPath], *, offset: int, limit: int) -> Page[Directive]:
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
        count = self._session.execute(
            select(func.count()).select_from(DirectiveRow).where(condition)
        ).scalar_one()
        stmt = (
            select(DirectiveRow)
            .where(condition)
            .order_by(DirectiveRow.issued_at.desc(), DirectiveRow.id.desc())
            .offset(offset)
            .limit(limit)
        )
        items = [_directive(row) for row in self._session.execute(stmt).scalars()]
        return Page(items=items, count=count)

    # The scheduler

    def due_for_tick(self, now: datetime) -> list[Directive]:
        sign = and_(
            DirectiveRow.sign_deadline_at.is_not(None),
            or_(DirectiveRow.sign_reminded_at.is_(None), DirectiveRow.sign_escalated_at.is_(None)),
        )
        complete = and_(
            DirectiveRow.complete_deadline_at.is_not(None),
            or_(
                DirectiveRow.complete_reminded_at.is_(None),
                DirectiveRow.complete_escalated_at.is_(None),
            ),
        )
        stmt = select(DirectiveRow).where(
            DirectiveRow.status == Status.ACTIVE.value, or_(sign, complete)
        )
        return [_directive(row) for row in self._session.execute(stmt).scalars()]

    def claim_step(self, directive_id: int, step: str, now: datetime) -> bool:
        if step not in STEPS:
            raise ValueError(f"unknown step {step}")
        column = getattr(DirectiveRow, step)
        result = self._session.execute(
            update(DirectiveRow)
            .where(DirectiveRow.id == directive_id, column.is_(None))
            .values({step: now})
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _counts(n: int, signed: int | None, progress: int | None, done: int | None) -> Counts:
    return Counts(int(n), int(signed or 0), int(progress or 0), int(done or 0))


def _content_values(content: Content) -> dict[str, Any]:
    return {
        "title_zh": content.title_zh,
        "title_en": content.title_en,
        "body_zh": content.body_zh,
        "body_en": content.body_en,
        "priority": content.priority.value,
        "sign_deadline_at": content.sign_deadline_at,
        "complete_deadline_at": content.complete_deadline_at,
        "form": [f.as_dict() for f in content.form],
        "attachments": list(content.attachments),
    }


def _directive(row: DirectiveRow) -> Directive:
    selection = row.selection
    level = selection.get("level")
    return Directive(
        id=row.id,
        issuer_path=row.issuer_path,
        issued_by=row.issued_by,
        issued_at=row.issued_at,
        content=Content(
            title_zh=row.title_zh,
            title_en=row.title_en,
            body_zh=row.body_zh,
            body_en=row.body_en,
            priority=Priority(row.priority),
            sign_deadline_at=row.sign_deadline_at,
            complete_deadline_at=row.complete_deadline_at,
            form=parse_form(row.form),
            attachments=tuple(row.attachments),
        ),
        selection=Selection(
            within=selection.get("within"),
            level=Level.from_slug(level) if level else None,
            tags=tuple(selection.get("tags") or ()),
            codes=tuple(selection.get("codes") or ()),
        ),
        target_count=row.target_count,
        version=row.version,
        material_version=row.material_version,
        status=Status(row.status),
        revoked_at=row.revoked_at,
    )


def _receipt(row: ReceiptRow) -> Receipt:
    return Receipt(
        id=row.id,
        directive_id=row.directive_id,
        area_path=row.area_path,
        level=Level(row.level),
        state=ReceiptState(row.state),
        signed_version=row.signed_version,
        signed_at=row.signed_at,
        progress=row.progress,
        note=row.note,
        feedback=row.feedback or {},
        done_at=row.done_at,
        updated_at=row.updated_at,
    )
