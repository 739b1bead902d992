"""Sensors, device tokens, readings, alerts with their comments, silences, engine snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from civicgrid.adapters.db.base import Base, UTCDateTime, path_type


class SensorRow(Base):
    __tablename__ = "sensors"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    area_code: Mapped[str] = mapped_column(String(32), index=True)  # fixed at registration
    area_path: Mapped[str] = mapped_column(path_type(), index=True)
    department: Mapped[str] = mapped_column(String(64))
    gateway: Mapped[str | None] = mapped_column(String(64), index=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DeviceTokenRow(Base):
    """A per-device or per-gateway ingestion token, stored as its SHA-256 digest."""

    __tablename__ = "device_tokens"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject: Mapped[str] = mapped_column(String(64), index=True)  # a sensor or gateway id
    kind: Mapped[str] = mapped_column(String(16))  # sensor | gateway
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReadingChunkRow(Base):
    """Raw telemetry as compressed column chunks: one row per (ingestion batch, sensor
    bucket), not one per reading, so a batch of 50,000 readings is ~16 appends instead of
    50,000 inserts all over a (sensor, ts) B-tree. `data` holds the sensor ids, times,
    values and late flags (adapters/db/reading_chunks.py); ts_min/ts_max let a sensor's
    history and the rare resend lookup read only the chunks that can hold them.
    """

    __tablename__ = "reading_chunks"
    __table_args__ = (Index("ix_reading_chunks_bucket_ts", "bucket", "ts_max", "ts_min"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    batch: Mapped[int] = mapped_column(BigInteger, index=True)
    bucket: Mapped[int] = mapped_column(SmallInteger)  # crc32(sensor id) % BUCKETS
    ts_min: Mapped[int] = mapped_column(BigInteger)  # ms since the epoch, UTC
    ts_max: Mapped[int] = mapped_column(BigInteger)
    readings: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class IngestBatchRow(Base):
    __tablename__ = "ingest_batches"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    partition: Mapped[str] = mapped_column(String(32), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    readings: Mapped[int] = mapped_column(Integer)


class EngineSnapshotRow(Base):
    """The alert engine's state for one partition, as of a batch."""

    __tablename__ = "alert_engine_snapshots"

    partition: Mapped[str] = mapped_column(String(32), primary_key=True)
    batch: Mapped[int] = mapped_column(BigInteger)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[dict[str, Any]] = mapped_column(JSON)


class AlertRow(Base):
    """At most one active alert per (sensor, rule): a partial unique index says so."""

    __tablename__ = "alerts"
    __table_args__ = (
        Index(
            "uq_alerts_active_sensor_rule",
            "sensor_id",
            "rule_id",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sensor_id: Mapped[str] = mapped_column(String(64), index=True)  # or a gateway id
    rule_id: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32))
    area_code: Mapped[str] = mapped_column(String(32))
    area_path: Mapped[str] = mapped_column(path_type(), index=True)
    severity: Mapped[int] = mapped_column(SmallInteger)
    active: Mapped[bool] = mapped_column(Boolean)
    flapping: Mapped[bool] = mapped_column(Boolean, default=False)
    silenced: Mapped[bool] = mapped_column(Boolean, default=False)
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_value: Mapped[float | None] = mapped_column(Float)
    hits: Mapped[int] = mapped_column(Integer, default=1)
    fires: Mapped[int] = mapped_column(Integer, default=1)  # re-fires reusing this alert's case
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    assignee: Mapped[str | None] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AlertCommentRow(Base):
    __tablename__ = "alert_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class SilenceRow(Base):
    __tablename__ = "alert_silences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sensor_id: Mapped[str | None] = mapped_column(String(64))
    sensor_type: Mapped[str | None] = mapped_column(String(32))
    area_path: Mapped[str | None] = mapped_column(path_type())
    rule_id: Mapped[str | None] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
