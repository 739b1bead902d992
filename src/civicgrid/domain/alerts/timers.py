"""Timer-driven evaluation: a silent gateway goes offline (and inhibits its sensors'
no-data alerts), a silent sensor raises its no-data alert, and flapping settles."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from civicgrid.domain.alerts.compiled import WHEN_CODES, EngineArrays
from civicgrid.domain.alerts.events import GATEWAY_RULE, AlertEvent, EventKind
from civicgrid.domain.alerts.rules import RuleSet, When
from civicgrid.domain.alerts.severity import Severity
from civicgrid.domain.sensors.sensor import Sensor

GATEWAY_SEVERITY = Severity.YELLOW
__all__ = ["GATEWAY_RULE", "GATEWAY_SEVERITY", "GatewayTable", "tick"]


class GatewayTable:
    """Gateways are known through their sensors: one is online while any of them reports."""

    def __init__(self, sensors: Sequence[Sensor]) -> None:
        self.ids = sorted({s.gateway for s in sensors if s.gateway})
        index = {g: i for i, g in enumerate(self.ids)}
        self.of_sensor = np.array([index.get(s.gateway or "", -1) for s in sensors], np.int32)
        self.sensor_since = np.array([s.registered_at.timestamp() for s in sensors], np.float64)
        self.since = np.full(len(self.ids), np.inf)
        np.minimum.at(
            self.since, self.of_sensor[self.of_sensor >= 0], self.sensor_since[self.of_sensor >= 0]
        )
        self.active = np.zeros(len(self.ids), np.bool_)

    def offline(self) -> list[str]:
        return [self.ids[i] for i in np.flatnonzero(self.active)]


def tick(
    arrays: EngineArrays, gateways: GatewayTable, rule_set: RuleSet, now_s: float
) -> list[AlertEvent]:
    events = _gateways(arrays, gateways, rule_set.gateway_timeout_s, now_s)
    events += _no_data(arrays, gateways, now_s)
    events += _flapping_settled(arrays, now_s)
    return events


def _last_heard(arrays: EngineArrays, gateways: GatewayTable) -> npt.NDArray[np.float64]:
    heard: npt.NDArray[np.float64] = np.maximum(arrays.ss[0], gateways.sensor_since)
    return heard


def _gateways(
    arrays: EngineArrays, gateways: GatewayTable, timeout_s: float, now_s: float
) -> list[AlertEvent]:
    if not gateways.ids:
        return []
    last = gateways.since.copy()
    behind = gateways.of_sensor >= 0
    np.maximum.at(last, gateways.of_sensor[behind], arrays.ss[0][behind])
    offline = now_s - last >= timeout_s
    events = []
    for g in np.flatnonzero(offline != gateways.active):
        went = bool(offline[g])
        gateways.active[g] = went
        events.append(
            AlertEvent(
                kind=EventKind.FIRE if went else EventKind.CLEAR,
                sensor_id=gateways.ids[g],
                rule_id=GATEWAY_RULE,
                severity=GATEWAY_SEVERITY if went else None,
                at_s=now_s,
                value=float(now_s - last[g]),
                hits=1,
                active=went,
            )
        )
    return events


def _rule_of_pair(arrays: EngineArrays) -> npt.NDArray[np.int32]:
    slots = arrays.slots
    n_pairs = len(arrays.sensors) * slots
    pairs = np.arange(n_pairs)
    return arrays.type_rules[arrays.sensor_type[pairs // slots], pairs % slots]


def _no_data(arrays: EngineArrays, gateways: GatewayTable, now_s: float) -> list[AlertEvent]:
    if not any(rule.when is When.NO_DATA for rule in arrays.rules):
        return []
    r_when, r_nlev, r_sev = arrays.rp[0], arrays.rp[1], arrays.rp[2]
    enabled, thr = arrays.pp[0], arrays.pp[1]
    active, sev, hits = arrays.st[2], arrays.st[3], arrays.st[4]
    rule_of = _rule_of_pair(arrays)
    known = rule_of >= 0
    candidates = np.flatnonzero(
        known & (r_when[np.where(known, rule_of, 0)] == WHEN_CODES[When.NO_DATA]) & enabled
    )
    sensors = candidates // arrays.slots
    silent = now_s - _last_heard(arrays, gateways)[sensors]
    gateway = gateways.of_sensor[sensors]
    down = np.append(gateways.active, False)  # index -1: no gateway, never down
    inhibited = down[gateway]
    events = []
    for p, s_silent, muted in zip(
        candidates.tolist(), silent.tolist(), inhibited.tolist(), strict=True
    ):
        r = int(rule_of[p])
        level = 0
        for k in range(int(r_nlev[r])):
            if s_silent >= thr[p, k]:
                level = k + 1
        if level == 0 or muted:
            continue
        severity = int(r_sev[r, level - 1])
        if active[p] == 0:
            kind = EventKind.FIRE
            active[p], sev[p], hits[p] = 1, severity, 1
        elif severity > sev[p]:
            kind = EventKind.ESCALATE
            sev[p] = severity
        else:
            continue
        sensor, rule = arrays.pair_ids(p)
        events.append(
            AlertEvent(kind, sensor.id, rule.id, Severity(severity), now_s, s_silent, 1, True)
        )
    return events


def _flapping_settled(arrays: EngineArrays, now_s: float) -> list[AlertEvent]:
    flapping, last_change = arrays.st[5], arrays.st[8]
    stable = arrays.rp[7]
    rule_of = _rule_of_pair(arrays)
    events = []
    for p in np.flatnonzero(flapping).tolist():
        if now_s - last_change[p] < stable[rule_of[p]]:
            continue
        flapping[p] = 0
        sensor, rule = arrays.pair_ids(p)
        on = bool(arrays.st[2][p])
        severity = Severity(int(arrays.st[3][p])) if on else None
        events.append(
            AlertEvent(
                EventKind.FLAPPING_END,
                sensor.id,
                rule.id,
                severity,
                now_s,
                np.nan,
                int(arrays.st[4][p]),
                on,
            )
        )
    return events
