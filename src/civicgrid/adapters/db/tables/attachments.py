"""Uploaded files (their bytes live on disk under the SHA-256) and the cases using them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from civicgrid.adapters.db.base import Base, UTCDateTime


class AttachmentRow(Base):
    """One upload. Identical content uploaded twice makes two rows and one file."""

    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[str] = mapped_column(String(64))  # username, as in case events
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseAttachmentRow(Base):
    """Which cases' events name an attachment: who may read it follows from these cases.

    Derived from the events (like `cases` is), written in the same transaction, so that
    access is one indexed lookup instead of a scan of every event's JSON.
    """

    __tablename__ = "case_attachments"

    attachment_id: Mapped[str] = mapped_column(
        ForeignKey("attachments.id", ondelete="RESTRICT"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
