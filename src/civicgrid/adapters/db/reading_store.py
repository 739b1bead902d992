"""Raw readings, ingestion batches and alert engine snapshots.

Readings are stored as compressed column chunks (reading_chunks.py): a batch becomes a
handful of rows, not one row per reading. The store has no (sensor, ts) key: the
pipeline finds resends itself, looking up here only readings not newer than their
sensor's last evaluated one, which `existing` answers from the chunks whose time range
can hold them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.orm import Session

from civicgrid.adapters.db.reading_chunks import Chunk, bucket_of, cut, encode, pack, unpack
from civicgrid.adapters.db.tables import EngineSnapshotRow, IngestBatchRow, ReadingChunkRow
from civicgrid.services.sensor_ports import ReadingColumns

_GAP_MS = 600_000  # resend lookups: stamps further apart than this are looked up apart
_MAX_SPANS = 64  # beyond that, one span from the first to the last


class SqlReadingStore:
    def __init__(self, session: Session) -> None:
        self._session = session

    def new_batch(self, partition: str, received_at: datetime, readings: int) -> int:
        row = IngestBatchRow(partition=partition, received_at=received_at, readings=readings)
        self._session.add(row)
        self._session.flush()
        return row.id

    def insert(self, batch: int, readings: ReadingColumns) -> None:
        if not readings.sensor_ids:
            return
        rows = [
            {
                "batch": batch,
                "bucket": chunk.bucket,
                "ts_min": int(chunk.ts_ms.min()),
                "ts_max": int(chunk.ts_ms.max()),
                "readings": len(chunk.codes),
                "data": pack(chunk),
            }
            for chunk in cut(*_encoded(readings), readings.ts_ms, readings.values, readings.late)
        ]
        self._session.execute(insert(ReadingChunkRow), rows)

    def existing(self, sensor_ids: Sequence[str], ts_ms: Sequence[int]) -> set[tuple[str, int]]:
        wanted: dict[int, set[tuple[str, int]]] = {}
        for key in zip(sensor_ids, ts_ms, strict=True):
            wanted.setdefault(bucket_of(key[0]), set()).add(key)
        found: set[tuple[str, int]] = set()
        for bucket, keys in wanted.items():
            sensors = {s for s, _ in keys}
            for chunk in self._chunks(bucket, _spans(sorted(t for _, t in keys))):
                for sensor in sensors:
                    stamps, _ = chunk.of(sensor)
                    found.update((sensor, t) for t in stamps.tolist() if (sensor, t) in keys)
        return found

    def _chunks(self, bucket: int, spans: list[tuple[int, int]]) -> list[Chunk]:
        """The bucket's chunks whose time range meets one of the closed spans."""
        if len(spans) > _MAX_SPANS:
            spans = [(spans[0][0], spans[-1][1])]
        near = or_(
            *(and_(ReadingChunkRow.ts_max >= lo, ReadingChunkRow.ts_min <= hi) for lo, hi in spans)
        )
        rows = self._session.execute(
            select(ReadingChunkRow.bucket, ReadingChunkRow.data)
            .where(ReadingChunkRow.bucket == bucket, near)
            .order_by(ReadingChunkRow.id)
        )
        return [unpack(b, data) for b, data in rows]

    def since_batch(self, partition: str, batch: int) -> list[tuple[int, datetime, ReadingColumns]]:
        batches = self._session.execute(
            select(IngestBatchRow.id, IngestBatchRow.received_at)
            .where(IngestBatchRow.partition == partition, IngestBatchRow.id > batch)
            .order_by(IngestBatchRow.id)
        ).all()
        replay = []
        for batch_id, received_at in batches:
            rows = self._session.execute(
                select(ReadingChunkRow.bucket, ReadingChunkRow.data)
                .where(ReadingChunkRow.batch == batch_id)
                .order_by(ReadingChunkRow.bucket)
            )
            chunks = [unpack(b, data) for b, data in rows]
            columns = ReadingColumns(
                sensor_ids=[s for c in chunks for s in c.sensor_ids],
                ts_ms=np.concatenate([c.ts_ms for c in chunks] or [np.empty(0, np.int64)]),
                values=np.concatenate([c.values for c in chunks] or [np.empty(0, np.float64)]),
                late=np.concatenate([c.late for c in chunks] or [np.empty(0, np.bool_)]),
            )
            replay.append((int(batch_id), received_at, columns))
        return replay

    def prune(self, received_before: datetime) -> int:
        last = self._session.scalar(
            select(func.max(IngestBatchRow.id)).where(IngestBatchRow.received_at < received_before)
        )
        if last is None:
            return 0
        removed = self._session.scalar(
            select(func.coalesce(func.sum(ReadingChunkRow.readings), 0)).where(
                ReadingChunkRow.batch <= last
            )
        )
        self._session.execute(delete(ReadingChunkRow).where(ReadingChunkRow.batch <= last))
        self._session.execute(delete(IngestBatchRow).where(IngestBatchRow.id <= last))
        return int(removed or 0)

    def count(self) -> int:
        total = self._session.scalar(select(func.coalesce(func.sum(ReadingChunkRow.readings), 0)))
        return int(total or 0)

    def of_sensor(
        self, sensor_id: str, start_ms: int, end_ms: int, limit: int
    ) -> tuple[list[int], list[float]]:
        stamps, values = [], []
        for chunk in self._chunks(bucket_of(sensor_id), [(start_ms, end_ms - 1)]):
            ts, value = chunk.of(sensor_id)
            inside = (ts >= start_ms) & (ts < end_ms)
            stamps.append(ts[inside])
            values.append(value[inside])
        if not stamps:
            return [], []
        ts_all, values_all = np.concatenate(stamps), np.concatenate(values)
        order = np.argsort(ts_all, kind="stable")[:limit]
        return ts_all[order].tolist(), values_all[order].tolist()

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


def _encoded(readings: ReadingColumns) -> tuple[npt.NDArray[np.integer[Any]], Sequence[str]]:
    if readings.codes is not None and readings.names is not None:
        return readings.codes, readings.names
    return encode(readings.sensor_ids)


def _spans(stamps: list[int]) -> list[tuple[int, int]]:
    """Sorted stamps as closed spans, split where they lie more than _GAP_MS apart."""
    spans = [(stamps[0], stamps[0])]
    for t in stamps[1:]:
        lo, hi = spans[-1]
        if t - hi > _GAP_MS:
            spans.append((t, t))
        else:
            spans[-1] = (lo, t)
    return spans
