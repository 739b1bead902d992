"""A deliberately simple alert engine: one reading at a time, dicts and deques.

It states the rule semantics plainly, for the property tests to hold the fast engine to.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from civicgrid.domain.alerts import GATEWAY_RULE, Rule, RuleSet, Severity, When
from civicgrid.domain.alerts.compiled import RING
from civicgrid.domain.sensors import Sensor

Event = tuple[str, str, str, int, float, int, bool]  # kind, sensor, rule, severity, at, hits, on


@dataclass
class PairState:
    runs: dict[int, float] = field(default_factory=dict)  # level index -> condition start
    clear_since: float | None = None
    active: bool = False
    severity: int = 0
    hits: int = 0
    flapping: bool = False
    changes: deque[float] = field(default_factory=lambda: deque(maxlen=16))
    history: dict[int, deque[bool]] = field(default_factory=dict)


class ReferenceEngine:
    def __init__(self, rule_set: RuleSet, sensors: list[Sensor]) -> None:
        self.rule_set = rule_set
        self.sensors = {s.id: s for s in sensors}
        self.last: dict[str, float] = {}
        self.recent: dict[str, deque[tuple[float, float]]] = {
            s.id: deque(maxlen=RING) for s in sensors
        }
        self.pairs: dict[tuple[str, str], PairState] = {}
        self.gateway_down: set[str] = set()

    def _threshold(self, sensor: Sensor, rule: Rule, k: int) -> float:
        level = rule.levels[k]
        override = self.rule_set.override(sensor.id, rule.id)
        if override and level.severity in override.thresholds:
            return override.thresholds[level.severity]
        if level.attribute is not None:
            return sensor.attributes.get(level.attribute, math.nan)
        assert level.threshold is not None
        return level.threshold

    def _clear(self, sensor: Sensor, rule: Rule) -> float:
        override = self.rule_set.override(sensor.id, rule.id)
        if override and override.clear_threshold is not None:
            return override.clear_threshold
        if rule.clear_threshold is not None:
            return rule.clear_threshold
        if rule.clear_attribute is not None:
            return sensor.attributes.get(rule.clear_attribute, math.nan)
        return self._threshold(sensor, rule, 0)

    def _durations(self, sensor: Sensor, rule: Rule) -> tuple[float, float]:
        o = self.rule_set.override(sensor.id, rule.id)
        return (
            rule.for_s if o is None or o.for_s is None else o.for_s,
            rule.clear_for_s if o is None or o.clear_for_s is None else o.clear_for_s,
        )

    def _enabled(self, sensor: Sensor, rule: Rule) -> bool:
        o = self.rule_set.override(sensor.id, rule.id)
        return o is None or o.enabled

    def read(self, sensor_id: str, t: float, v: float) -> list[Event]:
        if sensor_id in self.last and t <= self.last[sensor_id]:
            return []
        sensor = self.sensors[sensor_id]
        out: list[Event] = []
        for rule in self.rule_set.for_type(str(sensor.type)):
            if self._enabled(sensor, rule):
                self._step(sensor, rule, t, v, out)
        self.recent[sensor_id].append((t, v))
        self.last[sensor_id] = t
        return out

    def _measure(self, sensor_id: str, rule: Rule, t: float, v: float) -> float:
        if rule.when not in (When.RATE_ABOVE, When.RATE_BELOW):
            return v
        for then, old in self.recent[sensor_id]:
            if then >= t - rule.window_s:
                return (v - old) / (t - then) * 60.0
        return math.nan

    def _step(self, sensor: Sensor, rule: Rule, t: float, v: float, out: list[Event]) -> None:
        state = self.pairs.setdefault((sensor.id, rule.id), PairState())
        if rule.when is When.NO_DATA:
            if state.active:
                state.active, state.severity = False, 0
                self._change(state, rule, sensor, "clear", t, out)
            return
        x = self._measure(sensor.id, rule, t, v)
        worse = rule.when in (When.ABOVE, When.RATE_ABOVE)
        for_s, clear_for = self._durations(sensor, rule)
        ready = 0
        for k in range(len(rule.levels)):
            limit = self._threshold(sensor, rule, k)
            met = x > limit if worse else x < limit
            if rule.n_of_m is not None:
                n, m = rule.n_of_m
                history = state.history.setdefault(k, deque(maxlen=m))
                history.append(met)
                met = sum(history) >= n
            if not met:
                state.runs.pop(k, None)
                continue
            start = state.runs.setdefault(k, t)
            if t - start >= for_s:
                ready = k + 1
        clear_limit = self._clear(sensor, rule)
        if state.active and ((x < clear_limit) if worse else (x > clear_limit)):
            if state.clear_since is None:
                state.clear_since = t
            safe = t - state.clear_since >= clear_for
        else:
            state.clear_since, safe = None, False
        if state.active and ready:
            state.hits += 1
            level = int(rule.levels[ready - 1].severity)
            if level > state.severity:
                state.severity = level
                if not state.flapping:
                    out.append(("escalate", sensor.id, rule.id, level, t, state.hits, True))
        elif state.active and safe:
            state.active, state.severity = False, 0
            self._change(state, rule, sensor, "clear", t, out)
        elif not state.active and ready:
            state.active, state.hits = True, 1
            state.severity = int(rule.levels[ready - 1].severity)
            self._change(state, rule, sensor, "fire", t, out)
        if (
            state.flapping
            and rule.flapping is not None
            and t - state.changes[-1] >= rule.flapping.stable_s
        ):
            state.flapping = False
            out.append(self._settled(state, sensor, rule, t))

    def _change(
        self, state: PairState, rule: Rule, sensor: Sensor, kind: str, t: float, out: list[Event]
    ) -> None:
        if rule.flapping is not None:
            state.changes.append(t)
            recent = sum(1 for c in state.changes if c >= t - rule.flapping.window_s)
            if not state.flapping and recent >= rule.flapping.transitions:
                state.flapping = True
                out.append(
                    (
                        "flapping_start",
                        sensor.id,
                        rule.id,
                        state.severity,
                        t,
                        state.hits,
                        state.active,
                    )
                )
                return
        if not state.flapping:
            out.append((kind, sensor.id, rule.id, state.severity, t, state.hits, state.active))

    @staticmethod
    def _settled(state: PairState, sensor: Sensor, rule: Rule, t: float) -> Event:
        severity = state.severity if state.active else 0
        return ("flapping_end", sensor.id, rule.id, severity, t, state.hits, state.active)

    def tick(self, now: float) -> list[Event]:
        out: list[Event] = []
        gateways: dict[str, float] = {}
        for sensor in self.sensors.values():
            if sensor.gateway:
                heard = max(self.last.get(sensor.id, -math.inf), sensor.registered_at.timestamp())
                gateways[sensor.gateway] = max(gateways.get(sensor.gateway, -math.inf), heard)
        for gateway, heard in sorted(gateways.items()):
            down = now - heard >= self.rule_set.gateway_timeout_s
            if down and gateway not in self.gateway_down:
                self.gateway_down.add(gateway)
                out.append(("fire", gateway, GATEWAY_RULE, int(Severity.YELLOW), now, 1, True))
            elif not down and gateway in self.gateway_down:
                self.gateway_down.discard(gateway)
                out.append(("clear", gateway, GATEWAY_RULE, 0, now, 1, False))
        for sensor in self.sensors.values():
            for rule in self.rule_set.for_type(str(sensor.type)):
                if rule.when is not When.NO_DATA or not self._enabled(sensor, rule):
                    continue
                if sensor.gateway in self.gateway_down:
                    continue  # inhibited: the gateway's own alert says it all
                heard = max(self.last.get(sensor.id, -math.inf), sensor.registered_at.timestamp())
                reached = [
                    int(level.severity)
                    for k, level in enumerate(rule.levels)
                    if now - heard >= self._threshold(sensor, rule, k)
                ]
                if not reached:
                    continue
                state = self.pairs.setdefault((sensor.id, rule.id), PairState())
                if not state.active:
                    state.active, state.severity, state.hits = True, reached[-1], 1
                    out.append(("fire", sensor.id, rule.id, reached[-1], now, 1, True))
                elif reached[-1] > state.severity:
                    state.severity = reached[-1]
                    out.append(("escalate", sensor.id, rule.id, reached[-1], now, 1, True))
        for (sensor_id, rule_id), state in self.pairs.items():
            flapper = self.rule_set.rule(rule_id)
            assert flapper is not None
            if (
                state.flapping
                and flapper.flapping
                and now - state.changes[-1] >= flapper.flapping.stable_s
            ):
                state.flapping = False
                out.append(self._settled(state, self.sensors[sensor_id], flapper, now))
        return out
