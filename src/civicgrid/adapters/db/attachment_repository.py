"""Attachment records and the cases that reference them, on SQLAlchemy."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from civicgrid.adapters.db.tables import AttachmentRow, CaseAttachmentRow, CaseRow
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.attachments import Attachment


class SqlAttachmentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, attachment: Attachment) -> None:
        self._session.add(
            AttachmentRow(
                id=attachment.id,
                sha256=attachment.sha256,
                content_type=attachment.content_type,
                size=attachment.size,
                filename=attachment.filename,
                uploaded_by=attachment.uploaded_by,
                created_at=attachment.created_at,
            )
        )
        self._session.flush()

    def get_many(self, attachment_ids: Sequence[str]) -> dict[str, Attachment]:
        stmt = select(AttachmentRow).where(AttachmentRow.id.in_(list(attachment_ids)))
        return {row.id: _attachment(row) for row in self._session.execute(stmt).scalars()}

    def case_paths(self, attachment_ids: Sequence[str]) -> dict[str, list[AreaPath]]:
        stmt = (
            select(CaseAttachmentRow.attachment_id, CaseRow.area_path)
            .join(CaseRow, CaseRow.id == CaseAttachmentRow.case_id)
            .where(CaseAttachmentRow.attachment_id.in_(list(attachment_ids)))
        )
        paths: dict[str, list[AreaPath]] = {}
        for attachment_id, path in self._session.execute(stmt):
            paths.setdefault(attachment_id, []).append(path)
        return paths

    def link(self, case_id: int, attachment_ids: Sequence[str]) -> None:
        rows = [{"case_id": case_id, "attachment_id": i} for i in attachment_ids]
        # Both engines know INSERT … ON CONFLICT DO NOTHING; each dialect spells it itself.
        dialect = postgresql if self._session.get_bind().dialect.name == "postgresql" else sqlite
        self._session.execute(dialect.insert(CaseAttachmentRow).on_conflict_do_nothing(), rows)


def _attachment(row: AttachmentRow) -> Attachment:
    return Attachment(
        id=row.id,
        sha256=row.sha256,
        content_type=row.content_type,
        size=row.size,
        filename=row.filename,
        uploaded_by=row.uploaded_by,
        created_at=row.created_at,
    )
