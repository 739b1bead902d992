"""The alert engine: the kernel over batches, timers, silences, snapshots and reloads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from civicgrid.domain.alerts import kernel, snapshot, timers
from civicgrid.domain.alerts.compiled import EngineArrays, compile_arrays
from civicgrid.domain.alerts.events import AlertEvent, EventKind
from civicgrid.domain.alerts.rules import RuleSet
from civicgrid.domain.alerts.severity import Severity
from civicgrid.domain.alerts.silences import Silence
from civicgrid.domain.sensors.sensor import Sensor

EVALUATED, LATE = kernel.EVALUATED, kernel.LATE


class AlertState(StrEnum):
    INACTIVE = "inactive"
    PENDING = "pending"  # a condition holds, its "for" has not yet run out
    FIRING = "firing"


@dataclass(frozen=True, slots=True)
class Evaluation:
    events: list[AlertEvent]
    status: npt.NDArray[np.int8]  # per reading, in the order given: EVALUATED or LATE


@dataclass(frozen=True, slots=True)
class ActiveAlert:
    sensor_id: str
    rule_id: str
    severity: Severity
    hits: int
    flapping: bool


@dataclass(frozen=True, slots=True)
class PendingAlert:
    sensor_id: str
    rule_id: str
    severity: Severity  # the highest level whose condition holds
    since_s: float  # when the condition began to hold (seconds since the epoch)


class AlertEngine:
    """State per (sensor, rule) lives in columns; one instance per partition of sensors."""

    def __init__(
        self,
        rule_set: RuleSet,
        sensors: Sequence[Sensor],
        *,
        max_lateness_s: float | None = None,
    ) -> None:
        self.rule_set = rule_set
        self.max_lateness_s = max_lateness_s
        self.silences: list[Silence] = []
        self.arrays: EngineArrays = compile_arrays(rule_set, sensors)
        self.gateways = timers.GatewayTable(self.arrays.sensors)

    # -- readings -------------------------------------------------------------
    def index_of(self, sensor_ids: Sequence[str]) -> npt.NDArray[np.int32]:
        """Engine positions of the given sensor ids; -1 where unknown."""
        index = self.arrays.sensor_index
        return np.fromiter((index.get(s, -1) for s in sensor_ids), np.int32, len(sensor_ids))

    def evaluate(
        self,
        sensor: npt.NDArray[np.int32],
        ts: npt.NDArray[np.float64],
        value: npt.NDArray[np.float64],
        *,
        now_s: float | None = None,
    ) -> Evaluation:
        """Evaluate one batch (positions from index_of, seconds since the epoch, values).

        The batch is put in time order first. A reading not newer than its sensor's last
        evaluated one, or older than now − max_lateness, is late: stored by the caller,
        never evaluated, so it can neither fire nor re-fire an alert.
        """
        n = sensor.shape[0]
        order: npt.NDArray[np.intp] | None = None
        if n > 1 and not bool(np.all(ts[1:] >= ts[:-1])):
            order = np.argsort(ts, kind="stable")
            sensor, ts, value = sensor[order], ts[order], value[order]
        min_ts = -np.inf
        if now_s is not None and self.max_lateness_s is not None:
            min_ts = now_s - self.max_lateness_s
        status = np.empty(n, np.int8)
        capacity = 2 * n * self.arrays.slots + 8
        out = _out_arrays(capacity)
        a = self.arrays
        count = kernel.evaluate(
            np.ascontiguousarray(sensor, np.int32),
            np.ascontiguousarray(ts, np.float64),
            np.ascontiguousarray(value, np.float64),
            float(min_ts),
            a.ss,
            a.sensor_type,
            a.type_rules,
            a.needs_ring,
            a.rp,
            a.pp,
            a.st,
            status,
            out,
        )
        if order is not None:
            unsorted = np.empty_like(status)
            unsorted[order] = status
            status = unsorted
        return Evaluation(self._events(out, count), status)

    def evaluate_readings(
        self, readings: Sequence[tuple[str, float, float]], *, now_s: float | None = None
    ) -> Evaluation:
        """Convenience for small batches of (sensor id, seconds, value); ids must be known."""
        idx = self.index_of([r[0] for r in readings])
        if (idx < 0).any():
            raise KeyError(f"unknown sensor {readings[int(np.argmin(idx))][0]}")
        ts = np.array([r[1] for r in readings], np.float64)
        values = np.array([r[2] for r in readings], np.float64)
        return self.evaluate(idx, ts, values, now_s=now_s)

    # -- time -----------------------------------------------------------------
    def tick(self, now_s: float) -> list[AlertEvent]:
        """Timer-driven evaluation: gateways offline, sensors silent, flapping settled."""
        events = timers.tick(self.arrays, self.gateways, self.rule_set, now_s)
        return [self._silenced(event) for event in events]

    # -- state ----------------------------------------------------------------
    def state_of(self, sensor_id: str, rule_id: str) -> AlertState:
        p = self.arrays.pair(self.arrays.sensor_index[sensor_id], rule_id)
        if p is None:
            raise KeyError(f"rule {rule_id} does not apply to sensor {sensor_id}")
        st = self.arrays.st
        if st[2][p]:
            return AlertState.FIRING
        return AlertState.PENDING if bool((~np.isnan(st[0][p])).any()) else AlertState.INACTIVE

    def active_alerts(self) -> list[ActiveAlert]:
        st = self.arrays.st
        found = []
        for p in np.flatnonzero(st[2]):
            sensor, rule = self.arrays.pair_ids(int(p))
            found.append(
                ActiveAlert(
                    sensor.id, rule.id, Severity(int(st[3][p])), int(st[4][p]), bool(st[5][p])
                )
            )
        for gateway in self.gateways.offline():
            found.append(
                ActiveAlert(gateway, timers.GATEWAY_RULE, timers.GATEWAY_SEVERITY, 1, False)
            )
        return found

    def pending_alerts(self) -> list[PendingAlert]:
        """Conditions that hold while their "for" has not yet run out: not alerts yet."""
        st = self.arrays.st
        started = ~np.isnan(st[0])
        found = []
        for p in np.flatnonzero((st[2] == 0) & started.any(axis=1)).tolist():
            sensor, rule = self.arrays.pair_ids(p)
            levels = np.flatnonzero(started[p]).tolist()
            level = rule.levels[min(max(levels), len(rule.levels) - 1)]
            since = float(np.nanmin(st[0][p]))
            found.append(PendingAlert(sensor.id, rule.id, level.severity, since))
        return found

    def snapshot(self) -> dict[str, Any]:
        """Everything needed to resume: pending timers, active alerts, recent readings."""
        return snapshot.take(self.arrays, self.gateways)

    def restore(self, saved: dict[str, Any]) -> None:
        snapshot.put(self.arrays, self.gateways, saved)

    def reload(self, rule_set: RuleSet, sensors: Sequence[Sensor] | None = None) -> None:
        """New rules (or sensors) at run time; state carries over by (sensor id, rule id)."""
        saved = self.snapshot()
        self.rule_set = rule_set
        self.arrays = compile_arrays(
            rule_set, sensors if sensors is not None else self.arrays.sensors
        )
        self.gateways = timers.GatewayTable(self.arrays.sensors)
        self.restore(saved)

    # -- events ---------------------------------------------------------------
    def _events(self, out: tuple[npt.NDArray[Any], ...], count: int) -> list[AlertEvent]:
        """Events in the order of the readings that caused them (the kernel went by sensor)."""
        order = np.argsort(out[7][:count], kind="stable")
        kinds, pairs, sevs, times, values, hits, actives = (a[order].tolist() for a in out[:7])
        sensors, rules, slots = self.arrays.sensors, self.arrays.rules, self.arrays.slots
        type_rules = self.arrays.type_rule_list
        events = []
        for i in range(count):
            s = pairs[i] // slots
            rule = rules[type_rules[s][pairs[i] % slots]]
            active = actives[i] == 1
            event = AlertEvent(
                _KINDS[kinds[i]],
                sensors[s].id,
                rule.id,
                _SEVERITIES[sevs[i]] if active else None,
                times[i],
                values[i],
                hits[i],
                active,
            )
            events.append(self._silenced(event) if self.silences else event)
        return events

    def _silenced(self, event: AlertEvent) -> AlertEvent:
        if not self.silences:
            return event
        index = self.arrays.sensor_index.get(event.sensor_id)
        sensor = self.arrays.sensors[index] if index is not None else None
        if any(s.covers(sensor, event.sensor_id, event.rule_id, event.at_s) for s in self.silences):
            return event._replace(silenced=True)
        return event


_KINDS = {kind.value: kind for kind in EventKind}
_SEVERITIES = {0: None, **{level.value: level for level in Severity}}


def _out_arrays(capacity: int) -> tuple[npt.NDArray[Any], ...]:
    return (
        np.empty(capacity, np.int8),
        np.empty(capacity, np.int64),
        np.empty(capacity, np.int8),
        np.empty(capacity, np.float64),
        np.empty(capacity, np.float64),
        np.empty(capacity, np.int64),
        np.empty(capacity, np.int8),
        np.empty(capacity, np.int64),  # the reading that caused the event
    )
