"""Engine state as plain data (JSON-ready), keyed by sensor id and rule id, so it survives
a restart and a change of rules or sensors."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from civicgrid.domain.alerts.compiled import EngineArrays

if TYPE_CHECKING:
    from civicgrid.domain.alerts.timers import GatewayTable

VERSION = 2
_PAIR_FIELDS = (
    "run",
    "clear",
    "active",
    "sev",
    "hits",
    "flapping",
    "flaps",
    "flap_head",
    "last_change",
    "hist",
    "cnt",
)


def _plain(value: Any) -> Any:
    """NaN and infinities become None: JSON has no spelling for them."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _array(value: Any, missing: float) -> Any:
    if isinstance(value, list):
        return [_array(v, missing) for v in value]
    return missing if value is None else value


def take(arrays: EngineArrays, gateways: GatewayTable) -> dict[str, Any]:
    last_ts, ring_ts, ring_v, ring_len, ring_head = arrays.ss
    heard = np.flatnonzero(np.isfinite(last_ts))
    rings = {}
    # Only sensors with rate rules keep rings.
    for s in heard[np.asarray(ring_len)[heard] > 0].tolist():
        size = int(ring_len[s])
        order = [(int(ring_head[s]) - size + j) % ring_ts.shape[1] for j in range(size)]
        rings[arrays.sensors[s].id] = [ring_ts[s][order].tolist(), ring_v[s][order].tolist()]
    sensors = {
        "ids": [arrays.sensors[s].id for s in heard.tolist()],
        "last": last_ts[heard].tolist(),
        "rings": rings,  # oldest first
    }
    st = arrays.st
    busy = (
        (st[2] != 0)
        | (st[5] != 0)
        | (~np.isnan(st[0])).any(axis=1)
        | ~np.isnan(st[1])
        | np.isfinite(st[8])
        | (st[9] != 0).any(axis=1)
    )
    pairs = {}
    for p in np.flatnonzero(busy).tolist():
        sensor, rule = arrays.pair_ids(p)
        values = [_plain(column[p].tolist()) for column in st]
        values[9] = [str(v) for v in st[9][p].tolist()]  # uint64 masks stay exact as text
        pairs[f"{sensor.id}\x1f{rule.id}"] = dict(zip(_PAIR_FIELDS, values, strict=True))
    offline = [gateways.ids[g] for g in np.flatnonzero(gateways.active).tolist()]
    return {"version": VERSION, "sensors": sensors, "pairs": pairs, "gateways_offline": offline}


def put(arrays: EngineArrays, gateways: GatewayTable, saved: dict[str, Any]) -> None:
    if saved.get("version") != VERSION:
        raise ValueError(f"engine snapshot version {saved.get('version')} is not {VERSION}")
    last_ts, ring_ts, ring_v, ring_len, ring_head = arrays.ss
    index = arrays.sensor_index
    for sensor_id, last in zip(saved["sensors"]["ids"], saved["sensors"]["last"], strict=True):
        s = index.get(sensor_id)
        if s is not None:  # else retired, or moved to another partition
            last_ts[s] = last
    for sensor_id, (times, values) in saved["sensors"]["rings"].items():
        s = index.get(sensor_id)
        if s is None:
            continue
        size = len(times)
        ring_ts[s, :size], ring_v[s, :size] = times, values
        ring_len[s], ring_head[s] = size, size % ring_ts.shape[1]
    for key, item in saved["pairs"].items():
        sensor_id, rule_id = key.split("\x1f")
        s = arrays.sensor_index.get(sensor_id)
        if s is None or rule_id not in arrays.rule_index:
            continue
        p = arrays.pair(s, rule_id)
        if p is None:
            continue
        for column, name, missing in zip(arrays.st, _PAIR_FIELDS, _MISSING, strict=True):
            value = item[name]
            if name == "hist":
                value = [np.uint64(int(v)) for v in value]
            column[p] = _array(value, missing)
    index = {g: i for i, g in enumerate(gateways.ids)}
    for gateway in saved.get("gateways_offline", []):
        if gateway in index:
            gateways.active[index[gateway]] = True


_MISSING = (np.nan, np.nan, 0, 0, 0, 0, -np.inf, 0, -np.inf, 0, 0)
