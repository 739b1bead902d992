"""Report templates, submissions and urgent reports on SQLAlchemy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from civicgrid.adapters.db.tables import (
    AreaRow,
    NotificationReadRow,
    ReportReminderRow,
    ReportTemplateRow,
    SubmissionRow,
    UrgentDeliveryRow,
    UrgentReportRow,
    UserRow,
)
from civicgrid.adapters.db.tag_repository import path_range
from civicgrid.domain.areas import AreaPath, Level
from civicgrid.domain.forms import parse_form
from civicgrid.domain.reports import ReportTemplate, Schedule, Submission, TemplateDraft
from civicgrid.services.ports import Page
from civicgrid.services.report_ports import Expected, Reader, UrgentReport


def _in(column: Any, root: AreaPath) -> ColumnElement[bool]:
    low, high = path_range(root)
    return and_(column >= low, column < high)


def _below(unit: Any, child: Any) -> ColumnElement[bool]:
    high = func.substr(child.path, 1, func.length(child.path) - 1).concat("0")
    return and_(unit.path >= child.path, unit.path < high)


class SqlReportRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # Templates

    def add_template(
        self, draft: TemplateDraft, area_path: AreaPath, created_by: str, now: datetime
    ) -> int:
        row = ReportTemplateRow(
            code=draft.code,
            name_zh=draft.name_zh,
            name_en=draft.name_en,
            area_path=area_path,
            submitter_level=int(draft.submitter_level),
            schedule=draft.schedule.value,
            due_time=draft.due_time.strftime("%H:%M"),
            fields=[f.as_dict() for f in draft.fields],
            created_by=created_by,
            created_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def template(self, template_id: int) -> ReportTemplate | None:
        row = self._session.get(ReportTemplateRow, template_id)
        return None if row is None else _template(row)

    def template_by_code(self, code: str) -> ReportTemplate | None:
        stmt = select(ReportTemplateRow).where(ReportTemplateRow.code == code)
        row = self._session.execute(stmt).scalar_one_or_none()
        return None if row is None else _template(row)

    def lock_template(self, template_id: int) -> ReportTemplate | None:
        # A no-op UPDATE takes the write lock on both engines (SQLite's whole database,
        # PostgreSQL's row) before the row is read again, fresh.
        self._session.execute(
            update(ReportTemplateRow)
            .where(ReportTemplateRow.id == template_id)
            .values(code=ReportTemplateRow.code)
        )
        stmt = (
            select(ReportTemplateRow)
            .where(ReportTemplateRow.id == template_id)
            .execution_options(populate_existing=True)
        )
        row = self._session.execute(stmt).scalar_one_or_none()
        return None if row is None else _template(row)

    def update_template(self, template_id: int, draft: TemplateDraft) -> None:
        self._session.execute(
            update(ReportTemplateRow)
            .where(ReportTemplateRow.id == template_id)
            .values(
                code=draft.code,
                name_zh=draft.name_zh,
                name_en=draft.name_en,
                submitter_level=int(draft.submitter_level),
                schedule=draft.schedule.value,
                due_time=draft.due_time.strftime("%H:%M"),
                fields=[f.as_dict() for f in draft.fields],
            )
        )

    def templates(self, scopes: Sequence[AreaPath]) -> list[ReportTemplate]:
        if not scopes:
            return []
        visible = []
        for scope in scopes:
            visible.append(_in(ReportTemplateRow.area_path, scope))
            # A template over a wider area reaches into the scope too.
            visible.append(
                func.substr(scope, 1, func.length(ReportTemplateRow.area_path))
                == ReportTemplateRow.area_path
            )
        stmt = select(ReportTemplateRow).where(or_(*visible)).order_by(ReportTemplateRow.id)
        return [_template(row) for row in self._session.execute(stmt).scalars()]

    # Submissions

    def latest(self, template_id: int, period: str, area_path: AreaPath) -> Submission | None:
        stmt = (
            select(SubmissionRow)
            .where(
                SubmissionRow.template_id == template_id,
                SubmissionRow.period == period,
                SubmissionRow.area_path == area_path,
            )
            .order_by(SubmissionRow.version.desc())
            .limit(1)
        )
        row = self._session.execute(stmt).scalar_one_or_none()
        return None if row is None else _submission(row)

    def add_submission(self, submission: Submission) -> None:
        self._session.execute(
            update(SubmissionRow)
            .where(
                SubmissionRow.template_id == submission.template_id,
                SubmissionRow.period == submission.period,
                SubmissionRow.area_path == submission.area_path,
                SubmissionRow.current.is_(True),
            )
            .values(current=False)
        )
        self._session.execute(
            insert(SubmissionRow),
            [
                {
                    "template_id": submission.template_id,
                    "area_path": submission.area_path,
                    "period": submission.period,
                    "version": submission.version,
                    "current": True,
                    "late": submission.late,
                    "values": submission.values,
                    "submitted_by": submission.submitted_by,
                    "submitted_at": submission.submitted_at,
                }
            ],
        )

    def versions(self, template_id: int, period: str, area_path: AreaPath) -> list[Submission]:
        stmt = (
            select(SubmissionRow)
            .where(
                SubmissionRow.template_id == template_id,
                SubmissionRow.period == period,
                SubmissionRow.area_path == area_path,
            )
            .order_by(SubmissionRow.version)
        )
        return [_submission(row) for row in self._session.execute(stmt).scalars()]

    def current(self, template_id: int, period: str, within: AreaPath) -> list[Submission]:
        stmt = (
            select(SubmissionRow)
            .where(
                SubmissionRow.template_id == template_id,
                SubmissionRow.period == period,
                _in(SubmissionRow.area_path, within),
                SubmissionRow.current.is_(True),
            )
            .order_by(SubmissionRow.area_path)
        )
        return [_submission(row) for row in self._session.execute(stmt).scalars()]

    def _units(self, template: ReportTemplate, unit: Any) -> list[ColumnElement[bool]]:
        return [
            unit.level == int(template.draft.submitter_level),
            _in(unit.path, template.area_path),
        ]

    def expected(self, template: ReportTemplate, node: AreaPath) -> tuple[int, list[Expected]]:
        unit, child, parent = aliased(AreaRow), aliased(AreaRow), aliased(AreaRow)
        own = self._session.execute(
            select(func.count())
            .select_from(unit)
            .where(*self._units(template, unit), unit.path == node)
        ).scalar_one()
        counted = (
            select(child.id.label("area_id"), func.count(unit.id).label("expected"))
            .join(unit, and_(_below(unit, child), *self._units(template, unit)))
            .where(
                child.parent_id == select(parent.id).where(parent.path == node).scalar_subquery()
            )
            .group_by(child.id)
            .subquery()
        )
        named = aliased(AreaRow)
        stmt = (
            select(
                named.path,
                named.code,
                named.level,
                named.name_zh,
                named.name_en,
                counted.c.expected,
            )
            .join(counted, counted.c.area_id == named.id)
            .order_by(named.path)
        )
        rows = [
            Expected(path, code, Level(level), zh, en, int(n))
            for path, code, level, zh, en, n in self._session.execute(stmt).all()
        ]
        return int(own), rows

    def missing(
        self, template: ReportTemplate, period: str, within: AreaPath, *, offset: int, limit: int
    ) -> Page[tuple[AreaPath, str, str]]:
        unit = aliased(AreaRow)
        reported = exists().where(
            SubmissionRow.template_id == template.id,
            SubmissionRow.period == period,
            SubmissionRow.area_path == unit.path,
            SubmissionRow.current.is_(True),
        )
        where = [*self._units(template, unit), _in(unit.path, within), ~reported]
        count = self._session.execute(
            select(func.count()).select_from(unit).where(*where)
        ).scalar_one()
        stmt = (
            select(unit.path, unit.code, unit.name_zh)
            .where(*where)
            .order_by(unit.path)
            .offset(offset)
            .limit(limit)
        )
        items = [(p, c, n) for p, c, n in self._session.execute(stmt).all()]
        return Page(items=items, count=int(count))

    def claim_reminder(self, template_id: int, period: str, now: datetime) -> bool:
        dialect = postgresql if self._session.get_bind().dialect.name == "postgresql" else sqlite
        # RETURNING tells whether the row went in: INSERT's rowcount is not reported by
        # every driver (psycopg gives -1).
        inserted = self._session.execute(
            dialect.insert(ReportReminderRow)
            .values(template_id=template_id, period=period, sent_at=now, count=0)
            .on_conflict_do_nothing()
            .returning(ReportReminderRow.template_id)
        ).first()
        return inserted is not None

    def set_reminder_count(self, template_id: int, period: str, count: int) -> None:
        self._session.execute(
            update(ReportReminderRow)
            .where(ReportReminderRow.template_id == template_id, ReportReminderRow.period == period)
            .values(count=count)
        )

    # Urgent reports

    def add_urgent(
        self,
        area_path: AreaPath,
        title: str,
        body: str,
        values: dict[str, Any],
        by: str,
        now: datetime,
    ) -> int:
        row = UrgentReportRow(
            area_path=area_path,
            title=title,
            body=body,
            values=values,
            submitted_by=by,
            submitted_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def add_deliveries(self, urgent_id: int, deliveries: Sequence[tuple[int, AreaPath]]) -> None:
        self._session.execute(
            insert(UrgentDeliveryRow),
            [
                {"urgent_report_id": urgent_id, "notification_id": n, "area_path": p}
                for n, p in deliveries
            ],
        )

    def urgent(self, urgent_id: int) -> UrgentReport | None:
        row = self._session.get(UrgentReportRow, urgent_id)
        if row is None:
            return None
        return UrgentReport(
            row.id,
            row.area_path,
            row.title,
            row.body,
            row.values,
            row.submitted_by,
            row.submitted_at,
        )

    def deliveries(self, urgent_id: int) -> list[tuple[int, AreaPath]]:
        stmt = (
            select(UrgentDeliveryRow.notification_id, UrgentDeliveryRow.area_path)
            .where(UrgentDeliveryRow.urgent_report_id == urgent_id)
            .order_by(UrgentDeliveryRow.area_path)
        )
        return [(n, p) for n, p in self._session.execute(stmt).all()]

    def readers(self, urgent_id: int) -> list[Reader]:
        stmt = (
            select(UrgentDeliveryRow.area_path, UserRow.username, NotificationReadRow.read_at)
            .join(
                NotificationReadRow,
                NotificationReadRow.notification_id == UrgentDeliveryRow.notification_id,
            )
            .join(UserRow, UserRow.id == NotificationReadRow.user_id)
            .where(UrgentDeliveryRow.urgent_report_id == urgent_id)
            .order_by(UrgentDeliveryRow.area_path, NotificationReadRow.read_at)
        )
        return [Reader(p, u, at) for p, u, at in self._session.execute(stmt).all()]


def _template(row: ReportTemplateRow) -> ReportTemplate:
    return ReportTemplate(
        id=row.id,
        draft=TemplateDraft(
            code=row.code,
            name_zh=row.name_zh,
            name_en=row.name_en,
            submitter_level=Level(row.submitter_level),
            schedule=Schedule(row.schedule),
            due_time=time.fromisoformat(row.due_time),
            fields=parse_form(row.fields),
        ),
        area_path=row.area_path,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def _submission(row: SubmissionRow) -> Submission:
    return Submission(
        template_id=row.template_id,
        area_path=row.area_path,
        period=row.period,
        version=row.version,
        values=row.values,
        submitted_by=row.submitted_by,
        submitted_at=row.submitted_at,
        late=row.late,
        current=row.current,
    )
