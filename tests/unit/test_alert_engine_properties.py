"""The fast engine against the reference engine, on random rules and random streams."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from civicgrid.domain.alerts import AlertEngine, AlertEvent, RuleSet, parse_rule_set
from civicgrid.domain.sensors import Sensor, SensorType
from tests.unit.alert_fixtures import T0, sensor
from tests.unit.alerts_reference import Event, ReferenceEngine

TYPES = [SensorType.WATER_LEVEL_UNDERPASS, SensorType.GAS]
values = st.sampled_from([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
limits_ = st.sampled_from([0.1, 0.3, 0.4, 0.5, 0.7, 0.9])  # 0.4: a reading can sit on it


@st.composite
def rules(draw: st.DrawFn, sensor_type: SensorType, index: int) -> dict[str, Any]:
    when = draw(st.sampled_from(["above", "below", "rate_above", "rate_below", "no_data"]))
    count = draw(st.integers(1, 3))
    if when == "no_data":
        limits = sorted(
            draw(
                st.lists(
                    st.integers(60, 900).map(float), min_size=count, max_size=count, unique=True
                )
            )
        )
    else:
        limits = sorted(draw(st.lists(limits_, min_size=count, max_size=count, unique=True)))
        if when in ("below", "rate_below"):
            limits = limits[::-1]
    severities = sorted(
        draw(
            st.lists(
                st.sampled_from(["blue", "yellow", "orange", "red"]),
                min_size=count,
                max_size=count,
                unique=True,
            )
        ),
        key=["blue", "yellow", "orange", "red"].index,
    )
    levels = [
        {"severity": s, "threshold": float(x)} for s, x in zip(severities, limits, strict=True)
    ]
    if when != "no_data" and draw(st.booleans()):
        levels[0] = {"severity": severities[0], "attribute": "limit"}
    rule: dict[str, Any] = {
        "id": f"r{index}",
        "sensor_type": str(sensor_type),
        "category": "event:0407",
        "when": when,
        "levels": levels,
    }
    if when == "no_data":
        return rule
    rule["for"] = draw(st.sampled_from([0, 0, 60, 120, 300]))
    if draw(st.booleans()):
        rule["clear"] = {"threshold": draw(limits_), "for": draw(st.sampled_from([0, 60, 300]))}
    if when.startswith("rate"):
        rule["window"] = draw(st.sampled_from([120, 300, 600]))
    if draw(st.booleans()):
        m = draw(st.integers(1, 6))
        rule["n_of_m"] = [draw(st.integers(1, m)), m]
    if draw(st.booleans()):
        rule["flapping"] = {
            "transitions": draw(st.integers(2, 5)),
            "window": draw(st.sampled_from([600, 1800])),
            "stable": draw(st.sampled_from([120, 600])),
        }
    return rule


@st.composite
def worlds(draw: st.DrawFn) -> tuple[RuleSet, list[Sensor]]:
    specs = [draw(rules(TYPES[i % 2], i)) for i in range(draw(st.integers(1, 4)))]
    overrides = []
    if draw(st.booleans()):
        overrides.append(
            {
                "sensor": "s0",
                "rule": specs[0]["id"],
                "enabled": draw(st.booleans()),
                "for": draw(st.sampled_from([0, 180])),
            }
        )
    rule_set = parse_rule_set({"rules": specs, "overrides": overrides, "gateway_timeout": 400})
    sensors = [
        sensor(
            f"s{i}",
            TYPES[i % 2],
            gateway=draw(st.sampled_from([None, "g1", "g2"])),
            limit=draw(values),
        )
        for i in range(draw(st.integers(1, 4)))
    ]
    return rule_set, sensors


read = st.tuples(st.just("read"), st.integers(0, 3), st.integers(-30, 120), values)
steps = st.lists(
    st.one_of(
        read,
        read,
        read,
        read,
        read,
        st.tuples(st.just("tick"), st.integers(0, 3), st.integers(0, 900), values),
        st.tuples(st.just("batch"), st.integers(0, 3), st.integers(0, 0), values),
        st.tuples(st.just("restart"), st.integers(0, 3), st.integers(0, 0), values),
    ),
    min_size=10,
    max_size=150,
)


def as_tuple(event: AlertEvent) -> Event:
    severity = int(event.severity) if event.severity is not None else 0
    return (
        event.kind.label,
        event.sensor_id,
        event.rule_id,
        severity,
        event.at_s,
        event.hits,
        event.active,
    )


def _restarted(engine: AlertEngine, rule_set: RuleSet, sensors: list[Sensor]) -> AlertEngine:
    saved = json.loads(json.dumps(engine.snapshot()))
    fresh = AlertEngine(rule_set, sensors)
    fresh.restore(saved)
    return fresh


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), steps)
def test_engine_matches_the_reference(world: tuple[RuleSet, list[Sensor]], plan: list[Any]) -> None:
    rule_set, sensors = world
    fast, slow = AlertEngine(rule_set, sensors), ReferenceEngine(rule_set, sensors)
    now = T0
    pending: list[tuple[str, float, float]] = []
    got: list[Event] = []
    want: list[Event] = []

    def flush() -> None:
        batch = sorted(pending, key=lambda r: r[1])  # the engine orders a batch by time
        got.extend(as_tuple(e) for e in fast.evaluate_readings(pending).events) if pending else None
        for reading in batch:
            want.extend(slow.read(*reading))
        pending.clear()

    for action, who, step, value in plan:
        target = sensors[who % len(sensors)].id
        if action == "read":
            now += step
            pending.append((target, now, value))
        elif action == "tick":
            flush()
            now += step
            got.extend(sorted(as_tuple(e) for e in fast.tick(now)))
            want.extend(sorted(slow.tick(now)))
        elif action == "batch":
            flush()
        else:
            flush()
            fast = _restarted(fast, rule_set, sensors)
    flush()
    for kind in sorted({e[0] for e in got}):
        event(f"produced {kind}")
    assert got == want


@st.composite
def flapping_worlds(draw: st.DrawFn) -> tuple[RuleSet, list[Sensor]]:
    rule: dict[str, Any] = {
        "id": "flap",
        "sensor_type": "gas",
        "category": "event:0402",
        "when": "above",
        "levels": [{"severity": "orange", "threshold": 0.5}],
        "for": draw(st.sampled_from([0, 0, 60])),
        "clear": {"threshold": 0.5, "for": draw(st.sampled_from([0, 0, 60]))},
        "flapping": {
            "transitions": draw(st.integers(2, 6)),
            "window": draw(st.sampled_from([300, 900, 3600])),
            "stable": draw(st.sampled_from([120, 600])),
        },
    }
    return parse_rule_set({"rules": [rule]}), [sensor("s0", SensorType.GAS)]


toggles = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.just(0), st.integers(1, 120), st.sampled_from([0.0, 1.0])),
        st.tuples(st.just("tick"), st.just(0), st.integers(0, 700), st.just(0.0)),
        st.tuples(st.just("restart"), st.just(0), st.just(0), st.just(0.0)),
    ),
    min_size=5,
    max_size=120,
)


@settings(max_examples=200, deadline=None)
@given(flapping_worlds(), toggles)
def test_flapping_matches_the_reference(
    world: tuple[RuleSet, list[Sensor]], plan: list[Any]
) -> None:
    test_engine_matches_the_reference.hypothesis.inner_test(world, plan)  # type: ignore[attr-defined]
