"""Raw readings, ingestion batches and alert engine snapshots.

Readings go in through the driver's executemany (no ORM objects): a batch holds tens of
thousands of rows, and building an object per row would cost more than the INSERT.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import repeat
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.orm import Session

from civicgrid.adapters.db.tables import EngineSnapshotRow, IngestBatchRow, ReadingRow
from civicgrid.services.sensor_ports import ReadingColumns

_INSERT = {
    "sqlite": "INSERT OR IGNORE INTO readings (sensor_id, ts, value, batch, late) "
    "VALUES (?, ?, ?, ?, ?)",
    "postgresql": "INSERT INTO readings (sensor_id, ts, value, batch, late) "
    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
}


class SqlReadingStore:
    def __init__(self, session: Session) -> None:
        self._session = session

    def new_batch(self, partition: str, received_at: datetime, readings: int) -> int:
        row = IngestBatchRow(partition=partition, received_at=received_at, readings=readings)
        self._session.add(row)
        self._session.flush()
        return row.id

    def existing(self, sensor_ids: Sequence[str], ts_ms: Sequence[int]) -> set[tuple[str, int]]:
        keys = list(zip(sensor_ids, ts_ms, strict=True))
        found: set[tuple[str, int]] = set()
        for start in range(0, len(keys), 400):
            chunk = keys[start : start + 400]
            query = select(ReadingRow.sensor_id, ReadingRow.ts).where(
                tuple_(ReadingRow.sensor_id, ReadingRow.ts).in_(chunk)
            )
            found.update((s, int(t)) for s, t in self._session.execute(query))
        return found

    def insert(self, batch: int, readings: ReadingColumns) -> None:
        if not readings.sensor_ids:
            return
        connection = self._session.connection()
        rows = list(
            zip(
                readings.sensor_ids,
                readings.ts_ms.tolist(),
                readings.values.tolist(),
                repeat(batch),
                readings.late.tolist(),
                strict=False,
            )
        )
        cursor = connection.connection.cursor()
        try:
            cursor.executemany(_INSERT[connection.dialect.name], rows)
        finally:
            cursor.close()

    def since_batch(self, partition: str, batch: int) -> list[tuple[int, datetime, ReadingColumns]]:
        batches = self._session.execute(
            select(IngestBatchRow.id, IngestBatchRow.received_at)
            .where(IngestBatchRow.partition == partition, IngestBatchRow.id > batch)
            .order_by(IngestBatchRow.id)
        ).all()
        replay = []
        for batch_id, received_at in batches:
            rows = self._session.execute(
                select(ReadingRow.sensor_id, ReadingRow.ts, ReadingRow.value, ReadingRow.late)
                .where(ReadingRow.batch == batch_id)
                .order_by(ReadingRow.ts, ReadingRow.sensor_id)
            ).all()
            columns = ReadingColumns(
                sensor_ids=[r[0] for r in rows],
                ts_ms=np.array([r[1] for r in rows], np.int64),
                values=np.array([r[2] for r in rows], np.float64),
                late=np.array([r[3] for r in rows], np.bool_),
            )
            replay.append((int(batch_id), received_at, columns))
        return replay

    def prune(self, received_before: datetime) -> int:
        last = self._session.scalar(
            select(func.max(IngestBatchRow.id)).where(IngestBatchRow.received_at < received_before)
        )
        if last is None:
            return 0
        result = self._session.execute(delete(ReadingRow).where(ReadingRow.batch <= last))
        self._session.execute(delete(IngestBatchRow).where(IngestBatchRow.id <= last))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(ReadingRow)) or 0)

    def of_sensor(
        self, sensor_id: str, start_ms: int, end_ms: int, limit: int
    ) -> tuple[list[int], list[float]]:
        rows = self._session.execute(
            select(ReadingRow.ts, ReadingRow.value)
            .where(ReadingRow.sensor_id == sensor_id, ReadingRow.ts >= start_ms)
            .where(ReadingRow.ts < end_ms)
            .order_by(ReadingRow.ts)
            .limit(limit)
        ).all()
        return [int(r[0]) for r in rows], [float(r[1]) for r in rows]

    def save_snapshot(
        self, partition: str, batch: int, state: dict[str, Any], now: datetime
    ) -> None:
        values = {"partition": partition, "batch": batch, "taken_at": now, "state": state}
        if self._session.get_bind().dialect.name == "postgresql":
            statement = postgresql_insert(EngineSnapshotRow).values(**values)
            self._session.execute(
                statement.on_conflict_do_update(
                    index_elements=["partition"],
                    set_={"batch": batch, "taken_at": now, "state": statement.excluded.state},
                )
            )
            return
        self._session.merge(EngineSnapshotRow(**values))
        self._session.flush()

    def load_snapshot(self, partition: str) -> tuple[int, dict[str, Any]] | None:
        row = self._session.get(EngineSnapshotRow, partition)
        return (row.batch, row.state) if row is not None else None
