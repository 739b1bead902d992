"""The enterprise registry on SQLAlchemy; requests read their state from the cases table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from civicgrid.adapters.db.area_repository import _path_range
from civicgrid.adapters.db.tables import (
    CaseRow,
    EnterpriseHistoryRow,
    EnterpriseRequestRow,
    EnterpriseRow,
    UserRow,
)
from civicgrid.domain.areas import AreaPath, Level
from civicgrid.domain.cases.stages import Stage
from civicgrid.domain.enterprises import Enterprise, HistoryEntry, HistoryKind, RequestKind
from civicgrid.domain.errors import Conflict
from civicgrid.services.channel_ports import EnterpriseRequestView
from civicgrid.services.ports import Page


class SqlEnterpriseRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, enterprise: Enterprise) -> int:
        row = EnterpriseRow(
            uscc=enterprise.uscc,
            name=enterprise.name,
            address=enterprise.address,
            area_code=enterprise.area_code,
            area_path=enterprise.area_path,
            located_level=int(enterprise.located_level),
            lon=enterprise.location[0] if enterprise.location else None,
            lat=enterprise.location[1] if enterprise.location else None,
            contact_name=enterprise.contact_name,
            contact_phone=enterprise.contact_phone,
            registered_at=enterprise.registered_at,
        )
        self._session.add(row)
        try:
            self._session.flush()
        except IntegrityError as exc:  # a concurrent registration; the unit of work rolls back
            raise Conflict(
                f"an enterprise with USCC {enterprise.uscc} is registered already", field="uscc"
            ) from exc
        return row.id

    def get(self, uscc: str) -> Enterprise | None:
        found = self._session.execute(
            select(EnterpriseRow, UserRow.username)
            .outerjoin(UserRow, UserRow.id == EnterpriseRow.official_user_id)
            .where(EnterpriseRow.uscc == uscc)
        ).one_or_none()
        return None if found is None else _enterprise(found[0], found[1])

    def listing(
        self,
        scopes: Sequence[AreaPath],
        *,
        within: AreaPath | None,
        name: str | None,
        offset: int,
        limit: int,
    ) -> Page[Enterprise]:
        conditions = [_in_scopes(scopes)]
        if within is not None:
            low, high = _path_range(within)
            conditions += [EnterpriseRow.area_path >= low, EnterpriseRow.area_path < high]
        if name:
            escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions.append(EnterpriseRow.name.like(f"%{escaped}%", escape="\\"))
        count = self._session.execute(
            select(func.count()).select_from(EnterpriseRow).where(*conditions)
        ).scalar_one()
        rows = self._session.execute(
            select(EnterpriseRow, UserRow.username)
            .outerjoin(UserRow, UserRow.id == EnterpriseRow.official_user_id)
            .where(*conditions)
            .order_by(EnterpriseRow.area_path, EnterpriseRow.name, EnterpriseRow.id)
            .offset(offset)
            .limit(limit)
        ).all()
        return Page(items=[_enterprise(row, username) for row, username in rows], count=count)

    def set_official(self, enterprise_id: int, user_id: int) -> None:
        row = self._session.get(EnterpriseRow, enterprise_id)
        if row is not None:
            row.official_user_id = user_id
            self._session.flush()

    def add_history(self, enterprise_id: int, entry: HistoryEntry) -> None:
        self._session.add(
            EnterpriseHistoryRow(
                enterprise_id=enterprise_id,
                at=entry.at,
                actor=entry.actor,
                kind=entry.kind.value,
                data=dict(entry.data),
            )
        )
        self._session.flush()

    def history(self, enterprise_id: int) -> list[HistoryEntry]:
        rows = self._session.execute(
            select(EnterpriseHistoryRow)
            .where(EnterpriseHistoryRow.enterprise_id == enterprise_id)
            .order_by(EnterpriseHistoryRow.id)
        ).scalars()
        return [
            HistoryEntry(at=r.at, actor=r.actor, kind=HistoryKind(r.kind), data=dict(r.data))
            for r in rows
        ]

    def link_request(
        self, enterprise_id: int, case_id: int, kind: RequestKind, submitted_by: str, at: datetime
    ) -> bool:
        linked = self._session.execute(
            select(EnterpriseRequestRow.id).where(EnterpriseRequestRow.case_id == case_id)
        ).first()
        if linked is not None:
            return False
        self._session.add(
            EnterpriseRequestRow(
                enterprise_id=enterprise_id,
                case_id=case_id,
                kind=kind.value,
                submitted_by=submitted_by,
                submitted_at=at,
            )
        )
        self._session.flush()
        return True

    def requests(self, enterprise_id: int) -> list[EnterpriseRequestView]:
        rows = self._session.execute(
            select(EnterpriseRequestRow, CaseRow)
            .join(CaseRow, CaseRow.id == EnterpriseRequestRow.case_id)
            .where(EnterpriseRequestRow.enterprise_id == enterprise_id)
            .order_by(EnterpriseRequestRow.submitted_at.desc(), EnterpriseRequestRow.id.desc())
        ).all()
        return [
            EnterpriseRequestView(
                case_id=case.id,
                kind=RequestKind(link.kind),
                category=case.category,
                description=case.description,
                submitted_by=link.submitted_by,
                submitted_at=link.submitted_at,
                stage=Stage(case.stage),
                status=case.status,
                outcome=case.outcome,
                department=case.department,
                deadline_at=case.deadline_at,
                closed_at=case.closed_at,
            )
            for link, case in rows
        ]


def _enterprise(row: EnterpriseRow, official: str | None) -> Enterprise:
    return Enterprise(
        id=row.id,
        uscc=row.uscc,
        name=row.name,
        address=row.address,
        area_code=row.area_code,
        area_path=row.area_path,
        located_level=Level(row.located_level),
        contact_name=row.contact_name,
        contact_phone=row.contact_phone,
        official=official,
        registered_at=row.registered_at,
        location=(row.lon, row.lat) if row.lon is not None and row.lat is not None else None,
    )


def _in_scopes(scopes: Sequence[AreaPath]) -> ColumnElement[bool]:
    if not scopes:
        return false()
    return or_(
        *(
            (EnterpriseRow.area_path >= low) & (EnterpriseRow.area_path < high)
            for low, high in map(_path_range, scopes)
        )
    )
