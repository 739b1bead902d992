"""Engine state as plain data (JSON-ready), keyed by sensor id and rule id, so it survives
a restart and a change of rules or sensors."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from civicgrid.domain.alerts.compiled import EngineArrays

if TYPE_CHECKING:
    from civicgrid.domain.alerts.timers import GatewayTable

VERSION = 1
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
    sensors = {}
    for s in np.flatnonzero(np.isfinite(last_ts)).tolist():
        sensors[arrays.sensors[s].id] = {
            "last": float(last_ts[s]),
            "ring": [ring_ts[s].tolist(), ring_v[s].tolist()],
            "len": int(ring_len[s]),
            "head": int(ring_head[s]),
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
    for sensor_id, item in saved["sensors"].items():
        s = arrays.sensor_index.get(sensor_id)
        if s is None:
            continue  # retired or moved to another partition
        last_ts[s] = item["last"]
        ring_ts[s], ring_v[s] = item["ring"]
        ring_len[s], ring_head[s] = item["len"], item["head"]
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
