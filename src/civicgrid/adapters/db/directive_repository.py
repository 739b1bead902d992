"""Directives on SQLAlchemy: the repository the use cases see.

Each concept lives in its own module: rows ↔ domain (`directive_rows`), targets and
fan-out (`directive_targets`), a receipt's writes (`receipt_writes`), the roll-up
(`directive_rollup`) and the lists (`directive_listing`). This class holds the session
and the directive's own rows: versions and the scheduler's steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from civicgrid.adapters.db import directive_listing, directive_targets, receipt_writes
from civicgrid.adapters.db.directive_rollup import rollup
from civicgrid.adapters.db.directive_rows import content_values, directive_of
from civicgrid.adapters.db.tables import DirectiveRow, DirectiveVersionRow
from civicgrid.domain.areas import AreaPath, Level
from civicgrid.domain.directives import Content, Directive, Receipt, Status
from civicgrid.domain.errors import Conflict
from civicgrid.services.directive_ports import (
    DeadlineReceipt,
    NewDirective,
    ReceiptFilter,
    Rollup,
    Targets,
    Version,
)
from civicgrid.services.ports import Page

STEPS = ("sign_reminded_at", "sign_escalated_at", "complete_reminded_at", "complete_escalated_at")


class SqlDirectiveRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # Read-only, for the 三标 on-time rates

    def deadline_receipts(
        self, root: AreaPath, deadline: Literal["sign", "complete"], start: datetime, end: datetime
    ) -> list[DeadlineReceipt]:
        return directive_listing.deadline_receipts(self._session, root, deadline, start, end)

    # Targets and fan-out

    def count_targets(self, targets: Targets) -> dict[Level, int]:
        return directive_targets.count_targets(self._session, targets)

    def fan_out(self, directive_id: int, targets: Targets) -> int:
        return directive_targets.fan_out(self._session, directive_id, targets)

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
        return directive_targets.notify_receipts(
            self._session,
            directive_id,
            kind=kind,
            urgent=urgent,
            message=message,
            now=now,
            only=only,
            material_version=material_version,
            count=count,
        )

    def receipt_paths(
        self, directive_id: int, only: ReceiptFilter, material_version: int
    ) -> list[AreaPath]:
        return directive_targets.receipt_paths(self._session, directive_id, only, material_version)

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
            **content_values(new.content),
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def get(self, directive_id: int) -> Directive | None:
        row = self._session.get(DirectiveRow, directive_id)
        return None if row is None else directive_of(row)

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
        for name, value in content_values(content).items():
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
            for k, v in content_values(content).items()
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
        return receipt_writes.receipt(self._session, directive_id, area_path)

    def save_receipt(self, old: Receipt, new: Receipt) -> None:
        receipt_writes.save_receipt(self._session, old, new)

    def receipts_of_units(self, directive_id: int, codes: Sequence[str]) -> list[Receipt]:
        return receipt_writes.receipts_of_units(self._session, directive_id, codes)

    def sign_receipts(
        self, receipt_ids: Sequence[int], version: int, material_version: int, now: datetime
    ) -> None:
        receipt_writes.sign_receipts(self._session, receipt_ids, version, material_version, now)

    def rollup(self, directive: Directive, node: AreaPath) -> Rollup:
        return rollup(self._session, directive, node)

    def receipts(
        self, directive: Directive, where: ReceiptFilter, *, offset: int, limit: int
    ) -> Page[Receipt]:
        return directive_listing.receipt_page(
            self._session, directive, where, offset=offset, limit=limit
        )

    def listing(self, scopes: Sequence[AreaPath], *, offset: int, limit: int) -> Page[Directive]:
        return directive_listing.listing(self._session, scopes, offset=offset, limit=limit)

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
        return [directive_of(row) for row in self._session.execute(stmt).scalars()]

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
