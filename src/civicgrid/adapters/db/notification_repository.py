"""Notifications addressed to areas, with per-user read receipts; and job leases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from civicgrid.adapters.db.tables import LeaseRow, NotificationReadRow, NotificationRow
from civicgrid.domain.areas import AreaPath
from civicgrid.services.ports import Notification, Page


class SqlNotificationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        area_paths: Sequence[AreaPath],
        *,
        case_id: int | None,
        kind: str,
        urgent: bool,
        message: str,
        now: datetime,
    ) -> list[int]:
        rows = [
            NotificationRow(
                area_path=path,
                case_id=case_id,
                kind=kind,
                urgent=urgent,
                message=message,
                created_at=now,
            )
            for path in area_paths
        ]
        self._session.add_all(rows)
        self._session.flush()
        return [row.id for row in rows]

    def inbox(
        self, user_id: int, area_paths: Sequence[AreaPath], *, offset: int, limit: int
    ) -> Page[Notification]:
        if not area_paths:
            return Page(items=[], count=0)
        addressed = NotificationRow.area_path.in_(list(area_paths))
        count = self._session.execute(
            select(func.count()).select_from(NotificationRow).where(addressed)
        ).scalar_one()
        stmt = (
            select(NotificationRow, NotificationReadRow.read_at)
            .outerjoin(
                NotificationReadRow,
                and_(
                    NotificationReadRow.notification_id == NotificationRow.id,
                    NotificationReadRow.user_id == user_id,
                ),
            )
            .where(addressed)
            .order_by(NotificationRow.created_at.desc(), NotificationRow.id.desc())
            .offset(offset)
            .limit(limit)
        )
        items = [
            Notification(
                id=row.id,
                area_path=row.area_path,
                case_id=row.case_id,
                kind=row.kind,
                urgent=row.urgent,
                message=row.message,
                created_at=row.created_at,
                read=read_at is not None,
            )
            for row, read_at in self._session.execute(stmt)
        ]
        return Page(items=items, count=count)

    def get(self, notification_id: int) -> Notification | None:
        row = self._session.get(NotificationRow, notification_id)
        if row is None:
            return None
        return Notification(
            id=row.id,
            area_path=row.area_path,
            case_id=row.case_id,
            kind=row.kind,
            urgent=row.urgent,
            message=row.message,
            created_at=row.created_at,
        )

    def mark_read(self, user_id: int, notification_id: int, now: datetime) -> bool:
        exists = self._session.get(NotificationReadRow, (notification_id, user_id))
        if exists is not None:
            return False
        self._session.execute(
            insert(NotificationReadRow),
            [{"notification_id": notification_id, "user_id": user_id, "read_at": now}],
        )
        return True


class SqlLeaseRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def try_acquire(self, name: str, holder: str, now: datetime, ttl_seconds: float) -> bool:
        expires = now + timedelta(seconds=ttl_seconds)
        # One conditional UPDATE decides between contenders: the database serialises it.
        taken = self._session.execute(
            update(LeaseRow)
            .where(LeaseRow.name == name)
            .where((LeaseRow.holder == holder) | (LeaseRow.expires_at <= now))
            .values(holder=holder, expires_at=expires)
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            return True
        if self._session.get(LeaseRow, name) is not None:
            return False
        self._session.add(LeaseRow(name=name, holder=holder, expires_at=expires))
        try:
            self._session.flush()
        except Exception:  # another process inserted the row first
            self._session.rollback()
            return False
        return True

    def release(self, name: str, holder: str) -> None:
        self._session.execute(
            delete(LeaseRow).where(LeaseRow.name == name, LeaseRow.holder == holder)
        )
