"""Administration storage: users by jurisdiction, and the overrides of the file data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from uuid import uuid4

from sqlalchemy import and_, delete, exists, false, or_, select, update
from sqlalchemy.orm import Session

from civicgrid.adapters.db.tables import (
    AlertRulesRow,
    AreaRow,
    CalendarOverrideRow,
    CaseRow,
    CategoryOverrideRow,
    CategoryTreeRow,
    MetaRow,
    RoleGrantRow,
    UserRow,
)
from civicgrid.domain.access import Grant, Role
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.calendar import LimitUnit, TimeLimit
from civicgrid.domain.cases.categories import Text
from civicgrid.domain.cases.categories.edits import CategoryEdit
from civicgrid.services.admin_ports import CalendarDay, SavedRules, StoredEdit, UserSummary

RULES_VERSION_KEY = "case_rules_version"


class SqlAdminRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- users -------------------------------------------------------------------
    def users_within(
        self, scopes: Sequence[AreaPath], *, starting: str, limit: int
    ) -> list[UserSummary]:
        inside = [and_(AreaRow.path >= root, AreaRow.path < root[:-1] + "0") for root in scopes]
        granted_inside = (
            select(RoleGrantRow.user_id)
            .join(AreaRow, AreaRow.id == RoleGrantRow.area_id)
            .where(or_(*inside) if inside else false())
        )
        ungranted = ~exists(select(RoleGrantRow.id).where(RoleGrantRow.user_id == UserRow.id))
        stmt = (
            select(UserRow)
            .where(or_(UserRow.id.in_(granted_inside), ungranted))
            .order_by(UserRow.username)
            .limit(limit)
        )
        if starting:
            stmt = stmt.where(UserRow.username >= starting, UserRow.username < starting + "\uffff")
        rows = self._session.execute(stmt).scalars().all()
        return self._summaries(rows)

    def user(self, username: str) -> UserSummary | None:
        row = self._session.execute(
            select(UserRow).where(UserRow.username == username)
        ).scalar_one_or_none()
        return None if row is None else self._summaries([row])[0]

    def set_active(self, user_id: int, active: bool) -> None:
        self._session.execute(update(UserRow).where(UserRow.id == user_id).values(active=active))

    def _summaries(self, rows: Sequence[UserRow]) -> list[UserSummary]:
        grants: dict[int, list[Grant]] = defaultdict(list)
        if rows:
            stmt = (
                select(
                    RoleGrantRow.user_id,
                    RoleGrantRow.role,
                    AreaRow.code,
                    AreaRow.path,
                    RoleGrantRow.department,
                )
                .join(AreaRow, AreaRow.id == RoleGrantRow.area_id)
                .where(RoleGrantRow.user_id.in_([row.id for row in rows]))
                .order_by(RoleGrantRow.id)
            )
            for user_id, role, code, path, department in self._session.execute(stmt):
                grants[user_id].append(Grant(Role(role), code, path, department))
        return [
            UserSummary(row.id, row.username, row.display_name, row.active, tuple(grants[row.id]))
            for row in rows
        ]

    # -- categories ----------------------------------------------------------------
    def category_edits(self) -> list[StoredEdit]:
        rows = self._session.execute(
            select(CategoryOverrideRow).order_by(CategoryOverrideRow.key)
        ).scalars()
        return [StoredEdit(_edit(row), row.updated_at, row.updated_by) for row in rows]

    def save_category_edit(self, edit: CategoryEdit, now: datetime, by: str) -> None:
        row = self._session.get(CategoryOverrideRow, edit.key)
        if row is None:
            row = CategoryOverrideRow(key=edit.key)
            self._session.add(row)
        row.limit_value = int(edit.limit.value)
        row.limit_unit = edit.limit.unit.value
        row.filing_zh, row.filing_en = edit.filing_condition.zh, edit.filing_condition.en
        row.closing_zh, row.closing_en = edit.closing_condition.zh, edit.closing_condition.en
        row.department = edit.department
        row.duplicate_radius_m = edit.duplicate_radius_m
        row.duplicate_window_h = edit.duplicate_window_h
        row.updated_at, row.updated_by = now, by
        self._session.flush()

    def drop_category_edit(self, key: str) -> bool:
        result = self._session.execute(
            delete(CategoryOverrideRow).where(CategoryOverrideRow.key == key)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def clear_category_edits(self) -> None:
        self._session.execute(delete(CategoryOverrideRow))

    def category_tree(self) -> SavedRules | None:
        row = self._session.execute(
            select(CategoryTreeRow).order_by(CategoryTreeRow.id.desc()).limit(1)
        ).scalar_one_or_none()
        return None if row is None else SavedRules(row.text, row.saved_at, row.saved_by)

    def save_category_tree(self, text: str, now: datetime, by: str) -> None:
        self._session.add(CategoryTreeRow(text=text, saved_at=now, saved_by=by))
        self._session.flush()

    def categories_in_use(self) -> set[str]:
        stmt = select(CaseRow.category).distinct()
        return set(self._session.execute(stmt).scalars())

    # -- calendar ------------------------------------------------------------------
    def calendar_days(self) -> list[CalendarDay]:
        rows = self._session.execute(
            select(CalendarOverrideRow).order_by(CalendarOverrideRow.day)
        ).scalars()
        return [CalendarDay(row.day, row.working, row.note, row.updated_by) for row in rows]

    def save_calendar_day(self, day: CalendarDay, now: datetime) -> None:
        row = self._session.get(CalendarOverrideRow, day.day)
        if row is None:
            row = CalendarOverrideRow(day=day.day)
            self._session.add(row)
        row.working, row.note = day.working, day.note
        row.updated_at, row.updated_by = now, day.updated_by
        self._session.flush()

    def drop_calendar_day(self, day: date) -> bool:
        result = self._session.execute(
            delete(CalendarOverrideRow).where(CalendarOverrideRow.day == day)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    # -- alert rules ---------------------------------------------------------------
    def alert_rules(self) -> SavedRules | None:
        row = self._session.execute(
            select(AlertRulesRow).order_by(AlertRulesRow.id.desc()).limit(1)
        ).scalar_one_or_none()
        return None if row is None else SavedRules(row.text, row.saved_at, row.saved_by)

    def save_alert_rules(self, text: str, now: datetime, by: str) -> None:
        self._session.add(AlertRulesRow(text=text, saved_at=now, saved_by=by))
        self._session.flush()

    # -- the version the live case rules compare -----------------------------------
    def rules_version(self) -> str:
        return rules_version(self._session)

    def bump_rules_version(self) -> None:
        new = uuid4().hex
        changed = self._session.execute(
            update(MetaRow).where(MetaRow.key == RULES_VERSION_KEY).values(value=new)
        )
        if changed.rowcount == 0:  # type: ignore[attr-defined]
            self._session.add(MetaRow(key=RULES_VERSION_KEY, value=new))


def rules_version(session: Session) -> str:
    stmt = select(MetaRow.value).where(MetaRow.key == RULES_VERSION_KEY)
    return session.execute(stmt).scalar_one_or_none() or "none"


def _edit(row: CategoryOverrideRow) -> CategoryEdit:
    return CategoryEdit(
        key=row.key,
        limit=TimeLimit(row.limit_value, LimitUnit(row.limit_unit)),
        filing_condition=Text(row.filing_zh, row.filing_en),
        closing_condition=Text(row.closing_zh, row.closing_en),
        department=row.department,
        duplicate_radius_m=row.duplicate_radius_m,
        duplicate_window_h=row.duplicate_window_h,
    )
