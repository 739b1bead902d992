"""The per-row checks of a batch, over whole columns: known sensor, finite value inside the
type's physical range, a sane timestamp, and a sender allowed to speak for the sensor.

Only the rows that fail get a reason string built one by one; a good batch costs a few
numpy passes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import numpy.typing as npt

from civicgrid.domain.sensors import Sensor
from civicgrid.services.ingest.batch import Device, IncomingReadings


@dataclass(frozen=True, slots=True)
class SensorColumns:
    """The engine's sensors as columns, for checks by position."""

    ids: npt.NDArray[np.object_]
    gateways: npt.NDArray[np.object_]
    low: npt.NDArray[np.float64]
    high: npt.NDArray[np.float64]

    @classmethod
    def of(cls, sensors: list[Sensor]) -> SensorColumns:
        padded = sensors or []
        return cls(
            ids=np.array([s.id for s in padded] + [""], dtype=object),
            gateways=np.array([s.gateway for s in padded] + [None], dtype=object),
            low=np.array([s.type.facts.low for s in padded] + [0.0]),
            high=np.array([s.type.facts.high for s in padded] + [0.0]),
        )


_cache: dict[int, tuple[list[Sensor], SensorColumns]] = {}


def columns_of(sensors: list[Sensor]) -> SensorColumns:
    """Cached per sensor list (the engine keeps one list until sensors change)."""
    cached = _cache.get(id(sensors))
    if cached is None or cached[0] is not sensors or len(cached[1].ids) != len(sensors) + 1:
        _cache.clear()
        cached = _cache[id(sensors)] = (sensors, SensorColumns.of(sensors))
    return cached[1]


def check_rows(
    sensors: list[Sensor],
    retired: set[str],
    incoming: IncomingReadings,
    idx: npt.NDArray[np.int32],
    device: Device | None,
    horizon_s: float,
    future_skew: timedelta,
) -> tuple[npt.NDArray[np.bool_], list[tuple[int, str]]]:
    """(rows that pass, (row number, reason) of those that do not)."""
    table = columns_of(sensors)
    ts_s = incoming.ts_ms / 1000.0
    safe = np.where(idx < 0, len(sensors), idx)
    value = incoming.values
    bad_value = ~np.isfinite(value)
    out_of_range = ~bad_value & ((value < table.low[safe]) | (value > table.high[safe]))
    bad = (idx < 0) | bad_value | out_of_range | (ts_s > horizon_s) | (ts_s <= 0)
    reasons: dict[int, str] = {}
    for i in np.flatnonzero(bad).tolist():
        reasons[i] = _reason(incoming, i, int(idx[i]), horizon_s, sensors, retired, future_skew)
    if incoming.senders is not None:
        sender = np.array(incoming.senders, dtype=object)
        allowed = (sender == table.ids[safe]) | (sender == table.gateways[safe])
        for i in np.flatnonzero(~bad & ~allowed).tolist():
            reasons[i] = f"device {sender[i]} may not send readings of {table.ids[safe[i]]}"
        bad |= ~allowed
    if device is not None:
        own = table.gateways if device.kind == "gateway" else table.ids
        allowed = own[safe] == device.subject
        for i in np.flatnonzero(~bad & ~allowed).tolist():
            reasons[i] = (
                f"this {device.kind} token may not send readings of {incoming.sensor_ids[i]}"
            )
        bad |= ~allowed
    rows = incoming.rows
    return ~bad, [(int(rows[i]), reason) for i, reason in reasons.items()]


def _reason(
    incoming: IncomingReadings,
    i: int,
    s: int,
    horizon_s: float,
    sensors: list[Sensor],
    retired: set[str],
    future_skew: timedelta,
) -> str:
    sensor_id = incoming.sensor_ids[i]
    if s < 0:
        if sensor_id in retired:
            return f"sensor {sensor_id} is retired"
        return f"unknown sensor {sensor_id}"
    value = float(incoming.values[i])
    if not math.isfinite(value):
        return "value is not a finite number"
    ts_s = float(incoming.ts_ms[i]) / 1000.0
    if ts_s <= 0 or ts_s > horizon_s:
        return (
            f"timestamp {ts_s:.3f} lies before 1970 or more than "
            f"{future_skew} ahead of the server clock"
        )
    facts = sensors[s].type.facts
    return (
        f"value {value:g} {facts.unit} is outside the physical range "
        f"{facts.low:g}..{facts.high:g} of a {sensors[s].type.value} sensor"
    )
