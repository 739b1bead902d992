"""Areas of the hierarchy, their alias codes, and small key/value metadata."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, LargeBinary, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from civicgrid.adapters.db.base import Base, path_type


class AreaRow(Base):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("areas.id", ondelete="RESTRICT"), index=True
    )
    path: Mapped[str] = mapped_column(path_type(), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(300))
    households: Mapped[int | None] = mapped_column(Integer)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(200), default="")
    # WKB keeps polygons compact and loads vectorised with shapely.from_wkb.
    geometry: Mapped[bytes | None] = mapped_column(LargeBinary)
    min_lon: Mapped[float | None] = mapped_column(Float)
    min_lat: Mapped[float | None] = mapped_column(Float)
    max_lon: Mapped[float | None] = mapped_column(Float)
    max_lat: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (Index("ix_areas_level_path", "level", "path"),)


class AreaAliasRow(Base):
    """Another official code for the same area, e.g. the civil-affairs 2025 code."""

    __tablename__ = "area_aliases"

    alias_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)


class MetaRow(Base):
    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
