"""Reminders to units that have not reported: at the due time, once per period."""

from __future__ import annotations

from datetime import datetime

from civicgrid.domain.access import Principal
from civicgrid.domain.directives.issuing import access_issuer_area
from civicgrid.domain.reports import ReportTemplate, Schedule
from civicgrid.domain.reports.periods import current_period, due_at
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.reports.submitting import resolve_period
from civicgrid.services.reports.templates import access_template

PAGE = 5000


def _remind(uow: UnitOfWork, template: ReportTemplate, period: str, now: datetime) -> int:
    """Inside the caller's transaction, after the claim."""
    paths: list[str] = []
    while True:
        page = uow.reports.missing(
            template, period, template.area_path, offset=len(paths), limit=PAGE
        )
        paths.extend(path for path, _, _ in page.items)
        if len(page.items) < PAGE:
            break
    if paths:
        uow.notifications.add(
            paths,
            case_id=None,
            kind="report_missing",
            urgent=False,
            message=f"【催报】{template.draft.name_zh} {period} has not been submitted",
            now=now,
        )
    uow.reports.set_reminder_count(template.id, period, len(paths))
    return len(paths)


def remind_missing(
    uow: UnitOfWork,
    principal: Principal,
    template_id: int,
    *,
    period: str | None,
    now: datetime,
    zone: str,
) -> int | None:
    """Remind every unit that has not reported; None when reminded for this period already."""
    with uow:
        template = access_template(uow, principal, template_id)
        access_issuer_area(principal, template.area_path, f"remind units of {template.draft.code}")
        label = resolve_period(template, period, now, zone)
        if not uow.reports.claim_reminder(template.id, label, now):
            return None
        count = _remind(uow, template, label, now)
        uow.commit()
    return count


def tick_reports(uow: UnitOfWork, *, now: datetime, zone: str) -> int:
    """At each template's due time, remind the units missing for the current period."""
    with uow:
        templates = uow.reports.templates(["/"])
    reminded = 0
    for template in templates:
        if template.draft.schedule is Schedule.AD_HOC:
            continue
        period = current_period(template.draft.schedule, now, zone)
        due = due_at(template, period, zone) if period else None
        if period is None or due is None or now < due:
            continue
        with uow:
            if uow.reports.claim_reminder(template.id, period, now):
                reminded += _remind(uow, template, period, now)
                uow.commit()
    return reminded
