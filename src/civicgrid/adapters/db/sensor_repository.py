"""Sensors and their ingestion tokens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from civicgrid.adapters.db.tables import DeviceTokenRow, SensorRow
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.sensors import Sensor, SensorType
from civicgrid.services.ports import Page


def to_sensor(row: SensorRow) -> Sensor:
    return Sensor(
        id=row.id,
        type=SensorType(row.type),
        lon=row.lon,
        lat=row.lat,
        area_code=row.area_code,
        area_path=row.area_path,
        department=row.department,
        registered_at=row.registered_at,
        gateway=row.gateway,
        attributes={k: float(v) for k, v in (row.attributes or {}).items()},
        name=row.name,
        synthetic=row.synthetic,
        retired_at=row.retired_at,
    )


class SqlSensorRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, sensor_id: str) -> Sensor | None:
        row = self._session.get(SensorRow, sensor_id)
        return to_sensor(row) if row is not None else None

    def get_many(self, sensor_ids: Sequence[str]) -> dict[str, Sensor]:
        found: dict[str, Sensor] = {}
        for start in range(0, len(sensor_ids), 500):
            chunk = list(sensor_ids[start : start + 500])
            rows = self._session.scalars(select(SensorRow).where(SensorRow.id.in_(chunk)))
            found.update((row.id, to_sensor(row)) for row in rows)
        return found

    def existing_ids(self, sensor_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(sensor_ids), 500):
            chunk = list(sensor_ids[start : start + 500])
            found.update(self._session.scalars(select(SensorRow.id).where(SensorRow.id.in_(chunk))))
        return found

    def add(self, sensors: Sequence[Sensor]) -> None:
        self._session.add_all(
            SensorRow(
                id=s.id,
                type=str(s.type),
                name=s.name,
                lon=s.lon,
                lat=s.lat,
                area_code=s.area_code,
                area_path=s.area_path,
                department=s.department,
                gateway=s.gateway,
                attributes=dict(s.attributes),
                synthetic=s.synthetic,
                registered_at=s.registered_at,
                retired_at=s.retired_at,
            )
            for s in sensors
        )
        self._session.flush()

    def retire(self, sensor_id: str, at: datetime) -> bool:
        result = self._session.execute(
            update(SensorRow)
            .where(SensorRow.id == sensor_id, SensorRow.retired_at.is_(None))
            .values(retired_at=at)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def all(self, *, include_retired: bool = False) -> list[Sensor]:
        query = select(SensorRow).order_by(SensorRow.id)
        if not include_retired:
            query = query.where(SensorRow.retired_at.is_(None))
        return [to_sensor(row) for row in self._session.scalars(query)]

    def within(
        self, scopes: Sequence[AreaPath], *, sensor_type: str | None, offset: int, limit: int
    ) -> Page[Sensor]:
        if not scopes:
            return Page(items=[], count=0)
        where = [or_(*(SensorRow.area_path.startswith(scope) for scope in scopes))]
        if sensor_type is not None:
            where.append(SensorRow.type == sensor_type)
        count = self._session.scalar(select(func.count()).select_from(SensorRow).where(*where))
        rows = self._session.scalars(
            select(SensorRow).where(*where).order_by(SensorRow.id).offset(offset).limit(limit)
        )
        return Page(items=[to_sensor(row) for row in rows], count=int(count or 0))

    def add_token(self, subject: str, kind: str, digest: str, now: datetime) -> None:
        self._session.add(DeviceTokenRow(digest=digest, subject=subject, kind=kind, created_at=now))
        self._session.flush()

    def token_subject(self, digest: str) -> tuple[str, str] | None:
        row = self._session.get(DeviceTokenRow, digest)
        if row is None or row.revoked_at is not None:
            return None
        return row.subject, row.kind
