"""Migration 0015 moves every stored reading into chunks, and its downgrade moves them back."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from civicgrid.adapters.db import migrate
from civicgrid.bootstrap import Container

BEFORE = "3e5a7b9d1f24"
MS = 1_780_000_000_000
ROWS = [("A", MS, 1.5, 1, False), ("B", MS, 2.5, 1, False), ("A", MS + 60_000, 3.5, 2, True)]


def _rows(url: str) -> list[tuple[str, int, float, int, bool]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT sensor_id, ts, value, batch, late FROM readings ORDER BY ts, sensor_id")
        ).all()
    engine.dispose()
    return [(s, int(t), float(v), int(b), bool(x)) for s, t, v, b, x in found]


def test_stored_readings_survive_the_move_to_chunks_and_back(
    database_url: str, container: Container
) -> None:
    migrate.downgrade(database_url, BEFORE)
    engine = create_engine(database_url)
    with engine.begin() as connection:
        for batch in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO ingest_batches (id, partition, received_at, readings) "
                    "VALUES (:id, 'default', :at, 2)"
                ),
                {"id": batch, "at": datetime(2026, 6, 1, tzinfo=UTC)},
            )
        connection.execute(
            text(
                "INSERT INTO readings (sensor_id, ts, value, batch, late) "
                "VALUES (:s, :t, :v, :b, :x)"
            ),
            [dict(zip("stvbx", row, strict=True)) for row in ROWS],
        )
    engine.dispose()
    migrate.upgrade(database_url)
    with container.iot_uow() as uow:
        assert uow.readings.count() == 3
        assert uow.readings.of_sensor("A", MS, MS + 120_000, 10) == ([MS, MS + 60_000], [1.5, 3.5])
        assert uow.readings.existing(["B", "B"], [MS, MS + 1]) == {("B", MS)}
        [(batch, _, late_one)] = uow.readings.since_batch("default", 1)
    assert (batch, late_one.sensor_ids, late_one.late.tolist()) == (2, ["A"], [True])
    migrate.downgrade(database_url, BEFORE)
    assert _rows(database_url) == ROWS
    migrate.upgrade(database_url)
