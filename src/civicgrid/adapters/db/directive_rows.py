"""Directive and receipt rows to domain objects and back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from civicgrid.adapters.db.tables import DirectiveRow, ReceiptRow
from civicgrid.domain.areas import Level
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
from civicgrid.domain.forms import parse_form


def counts_of(n: int, signed: int | None, progress: int | None, done: int | None) -> Counts:
    return Counts(int(n), int(signed or 0), int(progress or 0), int(done or 0))


def content_values(content: Content) -> dict[str, Any]:
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


def directive_of(row: DirectiveRow) -> Directive:
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


# A receipt's columns, read without an ORM object per row.
RECEIPT_COLUMNS = tuple(ReceiptRow.__table__.c)


def receipt_of(row: ReceiptRow | Row[Any]) -> Receipt:
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
