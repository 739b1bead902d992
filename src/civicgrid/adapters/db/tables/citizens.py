"""Public channels: what a citizen or Open311 report keeps beside its case, API keys, and
requests queued for review until staff place them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from civicgrid.adapters.db.base import Base, UTCDateTime


class CitizenReportRow(Base):
    """One per case opened through a public channel. The tracking code is kept only as
    its SHA-256; reporters' names and numbers live in case_reporters, not here."""

    __tablename__ = "citizen_reports"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(20))
    tracking_digest: Mapped[str] = mapped_column(String(64), unique=True)
    api_key_id: Mapped[int | None] = mapped_column(
        ForeignKey("open311_api_keys.id", ondelete="RESTRICT")
    )
    address_string: Mapped[str] = mapped_column(String(400), default="")
    address_id: Mapped[str] = mapped_column(String(40), default="")
    media_url: Mapped[str] = mapped_column(String(1000), default="")
    device_id: Mapped[str] = mapped_column(String(100), default="")
    account_id: Mapped[str] = mapped_column(String(100), default="")
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Open311ApiKeyRow(Base):
    __tablename__ = "open311_api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Open311QueuedRow(Base):
    """A request that could not be placed on the map by itself (an address in words):
    staff place it on an area (it becomes a case) or reject it; the token follows it."""

    __tablename__ = "open311_queue"

    token: Mapped[str] = mapped_column(String(40), primary_key=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("open311_api_keys.id", ondelete="RESTRICT"))
    form: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), index=True)  # queued, accepted, rejected
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
