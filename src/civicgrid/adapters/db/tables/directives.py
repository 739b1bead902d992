"""Directives, their versions and one receipt per targeted unit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from civicgrid.adapters.db.base import Base, UTCDateTime, path_type


class DirectiveRow(Base):
    __tablename__ = "directives"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer_path: Mapped[str] = mapped_column(path_type(), index=True)
    issued_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    body_zh: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(10))
    sign_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    complete_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    form: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    attachments: Mapped[list[str]] = mapped_column(JSON)
    selection: Mapped[dict[str, Any]] = mapped_column(JSON)
    target_count: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    material_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Scheduler steps taken (reminders at 80 %, escalation at each deadline): a
    # conditional UPDATE on these makes every step happen once across processes.
    sign_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sign_escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    complete_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    complete_escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DirectiveVersionRow(Base):
    __tablename__ = "directive_versions"

    directive_id: Mapped[int] = mapped_column(
        ForeignKey("directives.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    material: Mapped[bool] = mapped_column()
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReceiptRow(Base):
    """One per targeted unit, written in one set-based INSERT … SELECT at issue."""

    __tablename__ = "directive_receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No foreign key on purpose: receipts are written only by the fan-out, in the same
    # transaction as their directive, and directives are never deleted (revoking keeps
    # them); a key would cost PostgreSQL a trigger per receipt, ~40 % of the fan-out.
    directive_id: Mapped[int] = mapped_column(Integer)
    area_path: Mapped[str] = mapped_column(path_type())
    level: Mapped[int] = mapped_column(SmallInteger)
    state: Mapped[int] = mapped_column(SmallInteger, default=0)
    signed_version: Mapped[int] = mapped_column(SmallInteger, default=0)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    progress: Mapped[int | None] = mapped_column(SmallInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    feedback: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        # One receipt per unit; also finds a unit's receipt and a subtree's receipts.
        Index("ux_directive_receipts_unit", "directive_id", "area_path", unique=True),
        # Roll-up reads only this index: a subtree's range, grouped on a path prefix.
        Index(
            "ix_directive_receipts_rollup", "directive_id", "area_path", "state", "signed_version"
        ),
    )
