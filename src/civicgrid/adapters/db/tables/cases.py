"""Cases: the append-only event log, a projection for listing, and private reporter data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from civicgrid.adapters.db.base import Base, UTCDateTime, path_type


class CaseRow(Base):
    """The current state of a case, rewritten from its events on every append.

    The events are the truth; this row exists so that listing a subtree's open cases
    is one indexed query.
    """

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    urgency: Mapped[str] = mapped_column(String(10))
    stage: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str | None] = mapped_column(String(30))
    area_code: Mapped[str] = mapped_column(String(20))
    area_path: Mapped[str] = mapped_column(path_type())
    department: Mapped[str | None] = mapped_column(String(40))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    stage_entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    warning_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # 80 % of the limit
    # When the scheduler must look next: the next escalation threshold of this stage.
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    escalation_level: Mapped[int] = mapped_column(SmallInteger, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    # "<username>:<key>": a retried create with the same key finds the first case.
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    __table_args__ = (
        # A page of a subtree's cases, newest first, reads only the page's rows.
        Index("ix_cases_status_path", "status", "area_path", "reported_at", "id"),
        Index("ix_cases_area_path", "area_path", "reported_at", "id"),
        # The overdue filter: a subtree's open cases past their deadline. Partial: a
        # query without a deadline condition cannot pick it over the index above.
        Index(
            "ix_cases_status_path_deadline",
            "status",
            "area_path",
            "deadline_at",
            "reported_at",
            "id",
            sqlite_where=text("deadline_at IS NOT NULL"),
            postgresql_where=text("deadline_at IS NOT NULL"),
        ),
        # A category's cases newest first (listing filter, indicators).
        Index("ix_cases_category_reported_at", "category", "reported_at"),
        # Duplicate suggestions: a category's cases in a band of latitude around the
        # point; longitude and the time window are checked in the index entries.
        Index("ix_cases_category_place", "category", "lat", "lon", "reported_at"),
    )


class CaseEventRow(Base):
    """One event of a case. Rows are only ever inserted."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    position: Mapped[str] = mapped_column(String(20))
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    attachments: Mapped[list[str]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("case_id", "seq"),)


class ReporterContactRow(Base):
    """Personal data of a reporter, kept out of events and public views."""

    __tablename__ = "case_reporters"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")


class NotificationRow(Base):
    """A message addressed to an area; everyone holding a grant there sees it."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_path: Mapped[str] = mapped_column(path_type(), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    urgent: Mapped[bool] = mapped_column(default=False)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class NotificationReadRow(Base):
    __tablename__ = "notification_reads"

    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    read_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LeaseRow(Base):
    """Who runs a periodic job right now; one holder per name across processes."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
