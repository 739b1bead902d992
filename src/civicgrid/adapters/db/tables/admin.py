"""What administrators change through the forms: overrides over the file data.

The category tree, the working calendar and the alert rules come from files (packaged or
named in the settings); these rows are merged over them, so an edit survives a restart
and a later file still applies where nobody has edited.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from civicgrid.adapters.db.base import Base, UTCDateTime


class CategoryOverrideRow(Base):
    """A minor class's edited rules, whole: the values a case of the class runs by."""

    __tablename__ = "category_overrides"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)  # "event:0101"
    limit_value: Mapped[int] = mapped_column(Integer)
    limit_unit: Mapped[str] = mapped_column(String(20))
    filing_zh: Mapped[str] = mapped_column(Text)
    filing_en: Mapped[str] = mapped_column(Text, default="")
    closing_zh: Mapped[str] = mapped_column(Text)
    closing_en: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(String(40))
    duplicate_radius_m: Mapped[int] = mapped_column(Integer)
    duplicate_window_h: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(64))


class CalendarOverrideRow(Base):
    """A day worked or not, whatever the packaged calendar says (a holiday, a 调休 day)."""

    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(64))


class AlertRulesRow(Base):
    """Each saved version of the alert rules (YAML); the highest id is in force."""

    __tablename__ = "alert_rule_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    saved_by: Mapped[str] = mapped_column(String(64))


class CategoryTreeRow(Base):
    """Each saved version of the whole category tree (YAML); the highest id replaces the file."""

    __tablename__ = "category_tree_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    saved_by: Mapped[str] = mapped_column(String(64))
