"""The chunked reading store on a real database: resend lookup, history, replay, pruning."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from civicgrid.bootstrap import Container
from civicgrid.services.sensor_ports import ReadingColumns
from tests.fixtures import MONDAY_9AM

T0 = MONDAY_9AM
MS = round(T0.timestamp() * 1000)


def _columns(rows: list[tuple[str, int, float]], late: bool = False) -> ReadingColumns:
    return ReadingColumns(
        sensor_ids=[r[0] for r in rows],
        ts_ms=np.array([r[1] for r in rows], np.int64),
        values=np.array([r[2] for r in rows], np.float64),
        late=np.full(len(rows), late),
    )


def _store(container: Container, rows: list[tuple[str, int, float]], hours: int = 0) -> int:
    with container.iot_uow() as uow:
        batch = uow.readings.new_batch("default", T0 + timedelta(hours=hours), len(rows))
        uow.readings.insert(batch, _columns(rows))
        uow.commit()
    return batch


def test_resends_are_found_only_where_they_are_stored(container: Container) -> None:
    _store(container, [(f"S{i}", MS + 60_000 * m, float(m)) for m in range(3) for i in range(50)])
    with container.iot_uow() as uow:
        found = uow.readings.existing(
            ["S1", "S1", "S49", "S50", "S2"], [MS, MS + 1, MS + 120_000, MS, MS + 86_400_000]
        )
    assert found == {("S1", MS), ("S49", MS + 120_000)}


def test_a_sensors_history_comes_in_time_order_across_batches_and_bounded(
    container: Container,
) -> None:
    _store(container, [("A", MS + 60_000, 1.0), ("B", MS, 9.0)])
    _store(container, [("A", MS + 120_000, 2.0), ("A", MS, 0.0)], hours=1)  # one of them late
    with container.iot_uow() as uow:
        assert uow.readings.of_sensor("A", MS, MS + 180_000, 10) == (
            [MS, MS + 60_000, MS + 120_000],
            [0.0, 1.0, 2.0],
        )
        assert uow.readings.of_sensor("A", MS + 1, MS + 120_000, 10) == ([MS + 60_000], [1.0])
        assert uow.readings.of_sensor("A", MS, MS + 180_000, 2)[0] == [MS, MS + 60_000]
        assert uow.readings.of_sensor("C", MS, MS + 180_000, 10) == ([], [])


def test_replay_returns_each_batch_after_the_given_one_whole(container: Container) -> None:
    first = _store(container, [("A", MS, 1.0)])
    rows = [(f"S{i}", MS + i, float(i)) for i in range(100)]
    second = _store(container, rows)
    with container.iot_uow() as uow:
        [(batch, received, columns)] = uow.readings.since_batch("default", first)
    assert (batch, received) == (second, T0)
    got = sorted(
        zip(columns.sensor_ids, columns.ts_ms.tolist(), columns.values.tolist(), strict=True)
    )
    assert got == sorted(rows)


def test_pruning_drops_whole_batches_by_age_and_counts_their_readings(
    container: Container,
) -> None:
    _store(container, [("A", MS, 1.0), ("B", MS, 2.0)])
    _store(container, [("A", MS + 60_000, 1.0)], hours=48)
    with container.iot_uow() as uow:
        removed = uow.readings.prune(T0 + timedelta(hours=24))
        uow.commit()
    with container.iot_uow() as uow:
        assert (removed, uow.readings.count()) == (2, 1)
        assert uow.readings.existing(["A"], [MS]) == set()
