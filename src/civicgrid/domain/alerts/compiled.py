"""Rules and sensors laid out as columns for the kernel, plus the state columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from civicgrid.domain.alerts.rules import MAX_FLAP, MAX_LEVELS, Override, Rule, RuleSet, When
from civicgrid.domain.sensors.sensor import Sensor

RING = 16  # readings kept per sensor for rate-of-change windows
WHEN_CODES = {
    When.ABOVE: 0,
    When.BELOW: 1,
    When.RATE_ABOVE: 2,
    When.RATE_BELOW: 3,
    When.NO_DATA: 4,
}

F8 = npt.NDArray[np.float64]
I4 = npt.NDArray[np.int32]
I1 = npt.NDArray[np.int8]


@dataclass
class EngineArrays:
    sensors: list[Sensor]
    rules: list[Rule]
    slots: int
    sensor_index: dict[str, int]
    rule_index: dict[str, int]
    sensor_type: I4
    type_rules: I4
    needs_ring: npt.NDArray[np.bool_]  # per type: keeps recent readings for rate rules
    type_rule_list: list[list[int]]  # per sensor: its rules by slot, for building events
    rp: tuple[npt.NDArray[np.generic], ...]
    pp: tuple[npt.NDArray[np.generic], ...]
    ss: tuple[npt.NDArray[np.generic], ...]
    st: tuple[npt.NDArray[np.generic], ...]

    def pair(self, sensor: int, rule_id: str) -> int | None:
        rule = self.rule_index[rule_id]
        row = self.type_rules[self.sensor_type[sensor]]
        hits = np.flatnonzero(row == rule)
        return int(sensor * self.slots + hits[0]) if hits.size else None

    def pair_ids(self, p: int) -> tuple[Sensor, Rule]:
        sensor = self.sensors[p // self.slots]
        rule = self.type_rules[self.sensor_type[p // self.slots], p % self.slots]
        return sensor, self.rules[int(rule)]


def compile_arrays(rule_set: RuleSet, sensors: Sequence[Sensor]) -> EngineArrays:
    rules = list(rule_set.rules)
    types = sorted({str(s.type) for s in sensors} | {r.sensor_type for r in rules})
    per_type = [[i for i, r in enumerate(rules) if r.sensor_type == t] for t in types]
    slots = max([1, *(len(ids) for ids in per_type)])
    type_rules = np.full((len(types), slots), -1, np.int32)
    for t, ids in enumerate(per_type):
        type_rules[t, : len(ids)] = ids
    type_index = {t: i for i, t in enumerate(types)}
    sensor_type = np.array([type_index[str(s.type)] for s in sensors], np.int32)
    n_pairs = len(sensors) * slots
    return EngineArrays(
        sensors=list(sensors),
        rules=rules,
        slots=slots,
        sensor_index={s.id: i for i, s in enumerate(sensors)},
        rule_index={r.id: i for i, r in enumerate(rules)},
        sensor_type=sensor_type,
        type_rules=type_rules,
        needs_ring=np.array(
            [
                any(rules[r].when in (When.RATE_ABOVE, When.RATE_BELOW) for r in ids)
                for ids in per_type
            ]
            or [False],
            np.bool_,
        ),
        type_rule_list=[type_rules[t].tolist() for t in sensor_type.tolist()],
        rp=_rule_params(rules),
        pp=_pair_params(rule_set, sensors, rules, type_rules, sensor_type, slots),
        ss=fresh_sensor_state(len(sensors)),
        st=fresh_pair_state(n_pairs),
    )


def _rule_params(rules: list[Rule]) -> tuple[npt.NDArray[np.generic], ...]:
    n = len(rules)
    sev = np.zeros((max(n, 1), MAX_LEVELS), np.int8)
    for i, rule in enumerate(rules):
        sev[i, : len(rule.levels)] = [int(level.severity) for level in rule.levels]
    m = np.array([r.n_of_m[1] if r.n_of_m else 0 for r in rules] or [0], np.int32)
    mask = np.array(
        [np.uint64(0xFFFFFFFFFFFFFFFF) if k == 64 else np.uint64((1 << int(k)) - 1) for k in m],
        np.uint64,
    )
    return (
        np.array([WHEN_CODES[r.when] for r in rules] or [0], np.int32),
        np.array([len(r.levels) for r in rules] or [0], np.int32),
        sev,
        np.array([r.window_s for r in rules] or [0], np.float64),
        np.array([r.n_of_m[0] if r.n_of_m else 0 for r in rules] or [0], np.int32),
        np.array([r.flapping.transitions if r.flapping else 0 for r in rules] or [0], np.int32),
        np.array([r.flapping.window_s if r.flapping else 0 for r in rules] or [0], np.float64),
        np.array([r.flapping.stable_s if r.flapping else 0 for r in rules] or [0], np.float64),
        m,
        mask,
    )


def _pair_params(
    rule_set: RuleSet,
    sensors: Sequence[Sensor],
    rules: list[Rule],
    type_rules: I4,
    sensor_type: I4,
    slots: int,
) -> tuple[npt.NDArray[np.generic], ...]:
    n_pairs = len(sensors) * slots
    enabled = np.zeros(n_pairs, np.bool_)
    thr = np.full((n_pairs, MAX_LEVELS), np.nan)
    clear = np.full(n_pairs, np.nan)
    for_s = np.zeros(n_pairs)
    clear_for = np.zeros(n_pairs)
    for s, sensor in enumerate(sensors):
        for slot in range(slots):
            r = int(type_rules[sensor_type[s], slot])
            if r < 0:
                break
            p = s * slots + slot
            rule = rules[r]
            override = rule_set.override(sensor.id, rule.id)
            enabled[p] = override.enabled if override else True
            for k, level in enumerate(rule.levels):
                value = level.threshold
                if level.attribute is not None:
                    value = sensor.attributes.get(level.attribute)
                if override and level.severity in override.thresholds:
                    value = override.thresholds[level.severity]
                thr[p, k] = np.nan if value is None else value
            clear[p] = _clear_threshold(rule, sensor, thr[p, 0], override)
            for_s[p] = rule.for_s if not override or override.for_s is None else override.for_s
            clear_for[p] = (
                rule.clear_for_s
                if not override or override.clear_for_s is None
                else override.clear_for_s
            )
    return enabled, thr, clear, for_s, clear_for


def _clear_threshold(rule: Rule, sensor: Sensor, lowest: float, override: Override | None) -> float:
    if override is not None and override.clear_threshold is not None:
        return override.clear_threshold
    if rule.clear_threshold is not None:
        return rule.clear_threshold
    if rule.clear_attribute is not None:
        return float(sensor.attributes.get(rule.clear_attribute, np.nan))
    return float(lowest)


def fresh_sensor_state(n: int) -> tuple[npt.NDArray[np.generic], ...]:
    return (
        np.full(n, -np.inf),  # last_ts
        np.zeros((n, RING)),  # ring_ts
        np.zeros((n, RING)),  # ring_v
        np.zeros(n, np.int32),  # ring_len
        np.zeros(n, np.int32),  # ring_head
    )


def fresh_pair_state(n: int) -> tuple[npt.NDArray[np.generic], ...]:
    return (
        np.full((n, MAX_LEVELS), np.nan),  # run_start per level: the "for" timers
        np.full(n, np.nan),  # clear_start
        np.zeros(n, np.int8),  # active
        np.zeros(n, np.int8),  # severity
        np.zeros(n, np.int64),  # hits
        np.zeros(n, np.int8),  # flapping
        np.full((n, MAX_FLAP), -np.inf),  # recent change times
        np.zeros(n, np.int32),  # flap ring head
        np.full(n, -np.inf),  # last change
        np.zeros((n, MAX_LEVELS), np.uint64),  # n-of-m bit histories
        np.zeros((n, MAX_LEVELS), np.int32),  # n-of-m counts
    )
