"""Batches stored after the engine's last snapshot, evaluated again at start.

A replayed fire meets its stored active alert and is dropped, so nothing re-fires; late
readings were never evaluated and are not now.
"""

from __future__ import annotations

from datetime import datetime

from civicgrid.domain.alerts import AlertEngine
from civicgrid.services.sensor_ports import ReadingColumns


def replay_batches(
    engine: AlertEngine, batches: list[tuple[int, datetime, ReadingColumns]], last_batch: int
) -> int:
    """Evaluate the batches in order; return the last batch evaluated."""
    for batch, received_at, columns in batches:
        keep = ~columns.late
        idx = engine.index_of([s for s, k in zip(columns.sensor_ids, keep, strict=True) if k])
        known = idx >= 0
        engine.evaluate(
            idx[known],
            columns.ts_ms[keep][known] / 1000.0,
            columns.values[keep][known],
            now_s=received_at.timestamp(),
        )
        last_batch = batch
    return last_batch
