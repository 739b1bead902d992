"""信息直报: report templates, periodic submissions per unit, aggregation per level."""

from civicgrid.domain.reports.template import ReportTemplate, Schedule, Submission, TemplateDraft

__all__ = ["ReportTemplate", "Schedule", "Submission", "TemplateDraft"]
