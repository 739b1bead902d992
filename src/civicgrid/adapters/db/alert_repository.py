"""Alerts, their comments, and silences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from civicgrid.adapters.db.tables import AlertCommentRow, AlertRow, SilenceRow
from civicgrid.domain.alerts import Silence
from civicgrid.domain.areas import AreaPath
from civicgrid.services.ports import Page
from civicgrid.services.sensor_ports import AlertComment, StoredAlert

_FIELDS = [name for name in StoredAlert.__slots__ if name != "id"]


def _stored(row: AlertRow) -> StoredAlert:
    return StoredAlert(id=row.id, **{name: getattr(row, name) for name in _FIELDS})


class SqlAlertRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def fired_between(self, root: AreaPath, start: datetime, end: datetime) -> list[StoredAlert]:
        rows = self._session.scalars(
            select(AlertRow)
            .where(
                AlertRow.area_path.startswith(root),
                AlertRow.fired_at >= start,
                AlertRow.fired_at < end,
            )
            .order_by(AlertRow.id)
        )
        return [_stored(row) for row in rows]

    def active(self, sensor_id: str, rule_id: str) -> StoredAlert | None:
        row = self._session.scalar(
            select(AlertRow).where(
                AlertRow.sensor_id == sensor_id, AlertRow.rule_id == rule_id, AlertRow.active
            )
        )
        return _stored(row) if row is not None else None

    def latest(self, sensor_id: str, rule_id: str) -> StoredAlert | None:
        row = self._session.scalar(
            select(AlertRow)
            .where(AlertRow.sensor_id == sensor_id, AlertRow.rule_id == rule_id)
            .order_by(AlertRow.id.desc())
            .limit(1)
        )
        return _stored(row) if row is not None else None

    def get(self, alert_id: int) -> StoredAlert | None:
        row = self._session.get(AlertRow, alert_id)
        return _stored(row) if row is not None else None

    def of_sensor(self, sensor_id: str, start: datetime, end: datetime) -> list[StoredAlert]:
        rows = self._session.scalars(
            select(AlertRow)
            .where(AlertRow.sensor_id == sensor_id, AlertRow.fired_at < end)
            .where(or_(AlertRow.cleared_at.is_(None), AlertRow.cleared_at >= start))
            .order_by(AlertRow.fired_at, AlertRow.id)
        )
        return [_stored(row) for row in rows]

    def add(self, alert: StoredAlert) -> int:
        values = asdict(alert)
        values.pop("id")
        row = AlertRow(**values)
        self._session.add(row)
        self._session.flush()
        return row.id

    def update(self, alert_id: int, **changes: Any) -> None:
        self._session.execute(update(AlertRow).where(AlertRow.id == alert_id).values(**changes))

    def needing_cases(self, limit: int) -> list[StoredAlert]:
        rows = self._session.scalars(
            select(AlertRow)
            .where(
                AlertRow.active,
                AlertRow.case_id.is_(None),
                AlertRow.category != "",
                AlertRow.silenced.is_(False),
                AlertRow.flapping.is_(False),
            )
            .order_by(AlertRow.id)
            .limit(limit)
        )
        return [_stored(row) for row in rows]

    def within(
        self, scopes: Sequence[AreaPath], *, active: bool | None, offset: int, limit: int
    ) -> Page[StoredAlert]:
        if not scopes:
            return Page(items=[], count=0)
        where = [or_(*(AlertRow.area_path.startswith(scope) for scope in scopes))]
        if active is not None:
            where.append(AlertRow.active.is_(active))
        count = self._session.scalar(select(func.count()).select_from(AlertRow).where(*where))
        rows = self._session.scalars(
            select(AlertRow).where(*where).order_by(AlertRow.id.desc()).offset(offset).limit(limit)
        )
        return Page(items=[_stored(row) for row in rows], count=int(count or 0))

    def most_severe(self, scopes: Sequence[AreaPath], limit: int) -> Page[StoredAlert]:
        if not scopes:
            return Page(items=[], count=0)
        where = [AlertRow.active, or_(*(AlertRow.area_path.startswith(s) for s in scopes))]
        count = self._session.scalar(select(func.count()).select_from(AlertRow).where(*where))
        rows = self._session.scalars(
            select(AlertRow)
            .where(*where)
            .order_by(AlertRow.severity.desc(), AlertRow.fired_at.desc(), AlertRow.id.desc())
            .limit(limit)
        )
        return Page(items=[_stored(row) for row in rows], count=int(count or 0))

    def add_comment(self, alert_id: int, comment: AlertComment) -> None:
        self._session.add(AlertCommentRow(alert_id=alert_id, **asdict(comment)))
        self._session.flush()

    def comments(self, alert_id: int) -> list[AlertComment]:
        rows = self._session.scalars(
            select(AlertCommentRow)
            .where(AlertCommentRow.alert_id == alert_id)
            .order_by(AlertCommentRow.id)
        )
        return [AlertComment(author=r.author, body=r.body, at=r.at) for r in rows]

    def add_silence(self, silence: Silence, created_by: str, now: datetime) -> int:
        row = SilenceRow(
            sensor_id=silence.sensor_id,
            sensor_type=silence.sensor_type,
            area_path=silence.area_path,
            rule_id=silence.rule_id,
            starts_at=datetime.fromtimestamp(silence.starts_s, now.tzinfo),
            ends_at=datetime.fromtimestamp(silence.ends_s, now.tzinfo),
            comment=silence.comment,
            created_by=created_by,
            created_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def silences(self, now: datetime) -> list[Silence]:
        rows = self._session.scalars(
            select(SilenceRow).where(SilenceRow.ends_at > now).order_by(SilenceRow.id)
        )
        return [
            Silence(
                id=r.id,
                starts_s=r.starts_at.timestamp(),
                ends_s=r.ends_at.timestamp(),
                sensor_id=r.sensor_id,
                sensor_type=r.sensor_type,
                area_path=r.area_path,
                rule_id=r.rule_id,
                comment=r.comment,
            )
            for r in rows
        ]

    def end_silence(self, silence_id: int, now: datetime) -> bool:
        result = self._session.execute(
            update(SilenceRow)
            .where(SilenceRow.id == silence_id, SilenceRow.ends_at > now)
            .values(ends_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
