"""三标: the indicator catalogue, reported values, peers, standards, milestones, lessons,
industry chains and investment projects."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from civicgrid.adapters.db.base import Base, UTCDateTime, path_type


class IndicatorRow(Base):
    """A catalogue entry added at run time; the built-in ones live in code."""

    __tablename__ = "sb_indicators"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(10))
    aggregation: Mapped[str] = mapped_column(String(20))
    weight: Mapped[str | None] = mapped_column(String(64))
    periodicity: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10))
    theme: Mapped[str | None] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(40))


class ValueRow(Base):
    """One version of a reported value; corrections add rows, nothing is overwritten."""

    __tablename__ = "sb_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator: Mapped[str] = mapped_column(String(64))
    area_code: Mapped[str] = mapped_column(String(20))
    area_path: Mapped[str] = mapped_column(path_type())
    period: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300))
    entered_by: Mapped[str] = mapped_column(String(64))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(500))

    __table_args__ = (
        UniqueConstraint("indicator", "area_code", "period", "version"),
        Index("ix_sb_values_indicator_path", "indicator", "area_path"),
    )


class PeerRow(Base):
    __tablename__ = "sb_peers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200), unique=True)
    name_en: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    city_zh: Mapped[str] = mapped_column(String(100))
    city_en: Mapped[str] = mapped_column(String(200))


class PeerValueRow(Base):
    __tablename__ = "sb_peer_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("sb_peers.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300))

    __table_args__ = (UniqueConstraint("peer_id", "indicator", "year"),)


class PeerGroupRow(Base):
    __tablename__ = "sb_peer_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200), unique=True)
    name_en: Mapped[str] = mapped_column(String(300))
    peer_ids: Mapped[list[int]] = mapped_column(JSON)


class PracticeRow(Base):
    __tablename__ = "sb_practices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))
    peer_id: Mapped[int | None] = mapped_column(ForeignKey("sb_peers.id", ondelete="SET NULL"))
    indicators: Mapped[list[str]] = mapped_column(JSON)


class StandardRow(Base):
    __tablename__ = "sb_standards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(20))
    area_path: Mapped[str] = mapped_column(path_type())
    indicator: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(10))
    target: Mapped[float] = mapped_column(Float)
    rule: Mapped[str] = mapped_column(String(20))
    derivation: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("sb_standards.id", ondelete="SET NULL")
    )
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("area_code", "indicator", "period"),)


class MilestoneRow(Base):
    __tablename__ = "sb_milestones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(20))
    area_path: Mapped[str] = mapped_column(path_type(), index=True)
    title_zh: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(400))
    group_name: Mapped[str] = mapped_column(String(200))
    deadline: Mapped[date] = mapped_column(Date)
    indicator: Mapped[str | None] = mapped_column(String(64))
    comparison: Mapped[str | None] = mapped_column(String(2))
    threshold: Mapped[float | None] = mapped_column(Float)
    provenance: Mapped[str] = mapped_column(String(300))
    evidence: Mapped[list[str]] = mapped_column(JSON)
    approved_by: Mapped[str | None] = mapped_column(String(64))
    achieved_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LessonRow(Base):
    __tablename__ = "sb_lessons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(20))
    area_path: Mapped[str] = mapped_column(path_type(), index=True)
    title_zh: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(400))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    indicators: Mapped[list[str]] = mapped_column(JSON)
    practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("sb_practices.id", ondelete="SET NULL")
    )


class LessonActionRow(Base):
    __tablename__ = "sb_lesson_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("sb_lessons.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str] = mapped_column(String(200))
    milestone_ids: Mapped[list[int]] = mapped_column(JSON)


class ChainRow(Base):
    __tablename__ = "sb_chains"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(20))
    area_path: Mapped[str] = mapped_column(path_type(), index=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(300))
    leader: Mapped[str] = mapped_column(String(100))
    enterprises: Mapped[list[str]] = mapped_column(JSON)
    provenance: Mapped[str] = mapped_column(String(300))

    __table_args__ = (UniqueConstraint("area_code", "name_zh"),)


class ProjectRow(Base):
    __tablename__ = "sb_projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(20))
    area_path: Mapped[str] = mapped_column(path_type(), index=True)
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("sb_chains.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(300))
    amount: Mapped[float] = mapped_column(Float)
    stage: Mapped[str] = mapped_column(String(20))
    stage_dates: Mapped[dict[str, Any]] = mapped_column(JSON)
    provenance: Mapped[str] = mapped_column(String(300))
