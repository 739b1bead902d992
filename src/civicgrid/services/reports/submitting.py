"""Submitting a report: once per period and unit; a correction is a new version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from civicgrid.domain.access import Action, Principal
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.forms import check_answer, photo_ids
from civicgrid.domain.ledger import LedgerEntry
from civicgrid.domain.reports import ReportTemplate, Submission
from civicgrid.domain.reports.periods import check_period, current_period, due_at
from civicgrid.services.areas import access_area
from civicgrid.services.directives.attachments import check_attachments
from civicgrid.services.feed import FeedEvent, FeedPublisher
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.reports.templates import access_template


def resolve_period(template: ReportTemplate, period: str | None, now: datetime, zone: str) -> str:
    if period is None:
        found = current_period(template.draft.schedule, now, zone)
        if found is None:
            raise InvalidInput("an ad hoc report names its period", field="period")
        return found
    return check_period(template.draft.schedule, period)


def submit_report(
    uow: UnitOfWork,
    principal: Principal,
    template_id: int,
    area_code: str,
    values: dict[str, Any],
    *,
    now: datetime,
    zone: str,
    period: str | None = None,
    feed: FeedPublisher | None = None,
) -> Submission:
    """The unit's report for the period; submitting again corrects it (a new version).
    Every level above sees it at once on the live feed."""
    with uow:
        template = access_template(uow, principal, template_id)
        area = access_area(uow, principal, area_code, Action.OPERATE, with_geometry=False)
        draft = template.draft
        if area.level is not draft.submitter_level or not is_within(area.path, template.area_path):
            raise InvalidInput(
                f"{area.code} does not submit {draft.code}: its {draft.submitter_level.slug}s "
                f"below {template.area_code} do",
                field="area_code",
            )
        label = resolve_period(template, period, now, zone)
        answer = check_answer(draft.fields, values)
        check_attachments(uow, principal, photo_ids(draft.fields, answer), field="values")
        previous = uow.reports.latest(template.id, label, area.path)
        due = due_at(template, label, zone)
        submission = Submission(
            template_id=template.id,
            area_path=area.path,
            period=label,
            version=1 if previous is None else previous.version + 1,
            values=answer,
            submitted_by=principal.username,
            submitted_at=now,
            # A correction keeps the first version's lateness: it was on time or it was not.
            late=previous.late if previous else bool(due and now > due),
        )
        uow.reports.add_submission(submission)
        uow.ledger.append(
            LedgerEntry(
                stream=f"report:{template.id}:{area.code}:{label}",
                seq=0,
                type="submitted" if previous is None else "corrected",
                at=now,
                actor=principal.username,
                area_path=area.path,
                data={"version": submission.version, "values": answer},
            )
        )
        uow.commit()
    if feed is not None:
        what = "submitted" if submission.version == 1 else f"corrected (v{submission.version})"
        summary = f"{draft.name_zh} {label} {what} by {area.name_zh}"
        feed.publish(FeedEvent("report_submitted", None, area.path, False, now, summary[:120]))
    return submission


def list_versions(
    uow: UnitOfWork, principal: Principal, template_id: int, area_code: str, period: str
) -> list[Submission]:
    with uow:
        template = access_template(uow, principal, template_id)
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
        label = check_period(template.draft.schedule, period)
        return uow.reports.versions(template.id, label, area.path)


__all__ = ["list_versions", "resolve_period", "submit_report"]
