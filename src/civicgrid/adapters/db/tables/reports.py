"""Report templates, versioned submissions per unit and period, urgent reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from civicgrid.adapters.db.base import Base, UTCDateTime, path_type


class ReportTemplateRow(Base):
    __tablename__ = "report_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    area_path: Mapped[str] = mapped_column(path_type())  # whose units submit
    submitter_level: Mapped[int] = mapped_column(SmallInteger)
    schedule: Mapped[str] = mapped_column(String(10))
    due_time: Mapped[str] = mapped_column(String(5))  # "HH:MM", local time
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SubmissionRow(Base):
    """A correction inserts a new version; the old one only loses `current`."""

    __tablename__ = "report_submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("report_templates.id", ondelete="CASCADE"))
    area_path: Mapped[str] = mapped_column(path_type())
    period: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(SmallInteger)
    current: Mapped[bool] = mapped_column(Boolean)
    late: Mapped[bool] = mapped_column(Boolean)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_by: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index(
            "ux_report_submissions_version",
            "template_id",
            "period",
            "area_path",
            "version",
            unique=True,
        ),
    )


class ReportReminderRow(Base):
    """Reminders sent for a template's period: the scheduler sends each once."""

    __tablename__ = "report_reminders"

    template_id: Mapped[int] = mapped_column(
        ForeignKey("report_templates.id", ondelete="CASCADE"), primary_key=True
    )
    period: Mapped[str] = mapped_column(String(20), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    count: Mapped[int] = mapped_column(Integer)


class UrgentReportRow(Base):
    """急报: delivered to every ancestor level at once, as inbox notifications."""

    __tablename__ = "urgent_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_path: Mapped[str] = mapped_column(path_type(), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_by: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UrgentDeliveryRow(Base):
    """Which notification carried an urgent report to which level (its read receipts)."""

    __tablename__ = "urgent_report_deliveries"

    urgent_report_id: Mapped[int] = mapped_column(
        ForeignKey("urgent_reports.id", ondelete="CASCADE"), primary_key=True
    )
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True
    )
    area_path: Mapped[str] = mapped_column(path_type())
