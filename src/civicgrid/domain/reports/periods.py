"""Reporting periods in the area's zone: "2026-07-20" for a day, "2026-W30" for a week."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.reports.template import ReportTemplate, Schedule

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_AD_HOC = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")


def current_period(schedule: Schedule, now: datetime, zone: str) -> str | None:
    """The period `now` falls in; None for ad hoc reports, which name their own."""
    local = now.astimezone(ZoneInfo(zone)).date()
    if schedule is Schedule.DAILY:
        return local.isoformat()
    if schedule is Schedule.WEEKLY:
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return None


def check_period(schedule: Schedule, period: str) -> str:
    """`period` if it is well-formed for the schedule; InvalidInput naming the form."""
    try:
        if schedule is Schedule.DAILY and _DAY.match(period):
            date.fromisoformat(period)
            return period
        if schedule is Schedule.WEEKLY and (found := _WEEK.match(period)):
            date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1)
            return period
    except ValueError:
        pass
    if schedule is Schedule.AD_HOC and _AD_HOC.match(period):
        return period
    forms = {
        Schedule.DAILY: "a date, YYYY-MM-DD",
        Schedule.WEEKLY: "an ISO week, YYYY-Www",
        Schedule.AD_HOC: "a label of letters, digits and '-'",
    }
    raise InvalidInput(f"period {period!r} must be {forms[schedule]}", field="period")


def due_at(template: ReportTemplate, period: str, zone: str) -> datetime | None:
    """When the period's report is due; None for ad hoc reports."""
    draft = template.draft
    tz = ZoneInfo(zone)
    if draft.schedule is Schedule.DAILY:
        day = date.fromisoformat(period)
    elif draft.schedule is Schedule.WEEKLY:
        found = _WEEK.match(period)
        if found is None:
            return None
        day = date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1) + timedelta(6)
    else:
        return None
    return datetime.combine(day, draft.due_time, tzinfo=tz)
