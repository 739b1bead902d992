"""Notifications addressed to areas, with per-user read receipts; and job leases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from civicgrid.adapters.db.base import Base
from civicgrid.adapters.db.clock import database_now
from civicgrid.adapters.db.tables import LeaseRow, NotificationReadRow, NotificationRow
from civicgrid.domain.areas import AreaPath
from civicgrid.services.case_ports import NotificationDraft
from civicgrid.services.ports import Notification, Page

_NOTIFICATIONS = Base.metadata.tables["notifications"]
_ADD = insert(_NOTIFICATIONS).returning(_NOTIFICATIONS.c.id, sort_by_parameter_order=True)
_ADD_ALL = insert(_NOTIFICATIONS)


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
        if not area_paths:
            return []
        # Core rather than ORM objects: every report adds one (an urgent one, one per
        # level), and a flush costs several times the INSERT.
        rows = [
            {
                "area_path": path,
                "case_id": case_id,
                "kind": kind,
                "urgent": urgent,
                "message": message,
                "created_at": now,
            }
            for path in area_paths
        ]
        return list(self._session.connection().execute(_ADD, rows).scalars())

    def add_all(self, drafts: Sequence[NotificationDraft]) -> None:
        rows = [
            {
                "area_path": path,
                "case_id": draft.case_id,
                "kind": draft.kind,
                "urgent": draft.urgent,
                "message": draft.message,
                "created_at": draft.created_at,
            }
            for draft in drafts
            for path in draft.area_paths
        ]
        if rows:
            self._session.connection().execute(_ADD_ALL, rows)

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
        """One statement that skips a receipt already there: two identical requests at
        once cannot both insert it, and the second is no error. True if this one did."""
        dialect = self._session.get_bind().dialect.name
        upsert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        stmt = (
            upsert(NotificationReadRow)
            .values(notification_id=notification_id, user_id=user_id, read_at=now)
            .on_conflict_do_nothing(index_elements=["notification_id", "user_id"])
        )
        inserted: int = self._session.execute(stmt).rowcount  # type: ignore[attr-defined]
        return inserted == 1


class SqlLeaseRepository:
    """Leases dated by the database's clock, the one clock every contender shares.

    A caller's `now` may be a replay (`cases tick --now …`) or a skewed host; dating a
    lease by it would hold the lease until that moment, or let it lapse at once.
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def try_acquire(self, name: str, holder: str, ttl_seconds: float) -> bool:
        now = database_now(self._session)
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
