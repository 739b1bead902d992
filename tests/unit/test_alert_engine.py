"""Each rule feature of the alert engine, on small readable streams."""

from __future__ import annotations

import json

import numpy as np
import pytest

from civicgrid.domain.alerts import AlertState, EventKind, Severity, Silence, parse_rule_set
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.sensors import SensorType
from tests.unit.alert_fixtures import T0, engine, flood_rule, kinds, minutes, sensor


def test_above_fires_only_after_holding_for_its_duration() -> None:
    e = engine([flood_rule(**{"for": "2m"})], [sensor("a")])
    assert minutes(e, "a", [0.5, 0.5]) == []
    assert e.state_of("a", "flood") is AlertState.PENDING
    [fired] = minutes(e, "a", [0.5], start=2)
    assert (fired.kind, fired.severity, fired.at_s) == (EventKind.FIRE, Severity.YELLOW, T0 + 120)
    assert e.state_of("a", "flood") is AlertState.FIRING


def test_a_dip_restarts_the_for_timer() -> None:
    e = engine([flood_rule(**{"for": "2m"})], [sensor("a")])
    assert minutes(e, "a", [0.5, 0.5, 0.1, 0.5, 0.5]) == []
    assert kinds(minutes(e, "a", [0.5], start=5)) == ["fire"]


def test_below_fires_under_the_threshold() -> None:
    rule = flood_rule(when="below", levels=[{"severity": "red", "threshold": 5.0}])
    e = engine([rule], [sensor("a")])
    assert kinds(minutes(e, "a", [6.0, 5.0, 4.9])) == ["fire"]


def test_threshold_can_come_from_the_sensors_attributes() -> None:
    rule = flood_rule(levels=[{"severity": "orange", "attribute": "kerb_height"}])
    e = engine([rule], [sensor("low", kerb_height=0.1), sensor("high", kerb_height=0.4)])
    assert kinds(minutes(e, "low", [0.2])) == ["fire"]
    assert minutes(e, "high", [0.2]) == []


def test_a_sensor_without_the_attribute_never_fires_that_level() -> None:
    rule = flood_rule(levels=[{"severity": "orange", "attribute": "kerb_height"}])
    e = engine([rule], [sensor("bare")])
    assert minutes(e, "bare", [9.0, 9.0]) == []


def test_rate_of_change_over_a_window() -> None:
    rule = flood_rule(
        when="rate_above", window="5m", levels=[{"severity": "red", "threshold": 0.05}]
    )
    e = engine([rule], [sensor("a")])
    # 0.03 m a minute is slow; then 0.3 m in two minutes is 0.15 m a minute over the window.
    assert minutes(e, "a", [0.0, 0.03, 0.06, 0.09]) == []
    [fired] = minutes(e, "a", [0.39], start=4)
    assert fired.kind is EventKind.FIRE
    assert fired.value == pytest.approx((0.39 - 0.0) / 4)  # the oldest reading in the window


def test_n_of_the_last_m_readings() -> None:
    e = engine([flood_rule(n_of_m=[3, 5])], [sensor("a")])
    assert minutes(e, "a", [0.5, 0.1, 0.5, 0.1]) == []
    assert kinds(minutes(e, "a", [0.5], start=4)) == ["fire"]


def test_hysteresis_fire_above_for_two_minutes_clear_below_for_five() -> None:
    rule = flood_rule(
        levels=[{"severity": "orange", "threshold": 0.8}],
        **{"for": "2m", "clear": {"threshold": 0.6, "for": "5m"}},
    )
    e = engine([rule], [sensor("a")])
    events = minutes(e, "a", [0.9, 0.9, 0.9, 0.7, 0.7, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5])
    assert [(ev.kind.label, (ev.at_s - T0) / 60) for ev in events] == [
        ("fire", 2.0),
        ("clear", 10.0),  # 0.7 neither fires nor clears; below 0.6 from minute 5, five minutes
    ]


def test_an_active_alert_escalates_and_counts_repeats_without_a_second_alert() -> None:
    rule = flood_rule(
        levels=[
            {"severity": "blue", "threshold": 0.1},
            {"severity": "yellow", "threshold": 0.3},
            {"severity": "red", "threshold": 0.8},
        ]
    )
    e = engine([rule], [sensor("a")])
    events = minutes(e, "a", [0.2, 0.2, 0.5, 0.9, 0.5, 0.2])
    assert [(ev.kind.label, ev.severity) for ev in events] == [
        ("fire", Severity.BLUE),
        ("escalate", Severity.YELLOW),
        ("escalate", Severity.RED),
    ]
    [alert] = e.active_alerts()
    assert (alert.severity, alert.hits) == (Severity.RED, 6)  # never steps down while active


def test_flapping_gives_one_notice_not_a_storm() -> None:
    rule = flood_rule(flapping={"transitions": 4, "window": "30m", "stable": "10m"})
    e = engine([rule], [sensor("a")])
    events = minutes(e, "a", [0.5, 0.1] * 10)
    assert kinds(events) == ["fire", "clear", "fire", "flapping_start"]
    settled = minutes(e, "a", [0.5] * 12, start=20)
    assert kinds(settled) == ["flapping_end"]
    assert settled[0].active
    assert settled[0].severity is Severity.YELLOW


def test_silences_by_sensor_type_and_area_over_a_time_span() -> None:
    e = engine([flood_rule()], [sensor("a"), sensor("b", area_path="/410100/410102/")])
    e.silences = [Silence(1, T0, T0 + 600, area_path="/410100/410102/")]
    events = e.evaluate_readings([("a", T0, 0.5), ("b", T0, 0.5)]).events
    assert [(ev.sensor_id, ev.silenced) for ev in events] == [("a", False), ("b", True)]
    e.silences = [Silence(2, T0, T0 + 600, sensor_type="water_level_underpass")]
    [cleared] = minutes(e, "a", [0.0], start=1)
    assert cleared.silenced
    [fired] = minutes(e, "a", [0.5], start=11)  # after the window
    assert not fired.silenced


def test_no_data_is_timer_driven_and_escalates_with_the_silence() -> None:
    rule = flood_rule(
        id="silent",
        when="no_data",
        levels=[{"severity": "yellow", "threshold": "10m"}, {"severity": "red", "threshold": "1h"}],
    )
    e = engine([rule], [sensor("a")])
    minutes(e, "a", [0.0])
    assert e.tick(T0 + 9 * 60) == []
    [fired] = e.tick(T0 + 10 * 60)
    assert (fired.kind, fired.severity) == (EventKind.FIRE, Severity.YELLOW)
    assert e.tick(T0 + 20 * 60) == []  # still one alert
    assert [ev.kind for ev in e.tick(T0 + 3600)] == [EventKind.ESCALATE]
    assert kinds(minutes(e, "a", [0.0], start=61)) == ["clear"]


def test_an_offline_gateway_inhibits_its_sensors_no_data_alerts() -> None:
    silent = flood_rule(
        id="silent", when="no_data", levels=[{"severity": "yellow", "threshold": "10m"}]
    )
    sensors = [sensor("a", gateway="gw1"), sensor("b", gateway="gw1"), sensor("c")]
    e = engine([silent], sensors, gateway_timeout="5m")
    e.evaluate_readings([("a", T0, 0.0), ("b", T0, 0.0), ("c", T0, 0.0)])
    [offline] = e.tick(T0 + 5 * 60)
    assert (offline.sensor_id, offline.rule_id, offline.kind) == (
        "gw1",
        "gateway_offline",
        EventKind.FIRE,
    )
    alerts = e.tick(T0 + 10 * 60)
    assert [(ev.sensor_id, ev.rule_id) for ev in alerts] == [("c", "silent")]  # a, b inhibited
    e.evaluate_readings([("a", T0 + 11 * 60, 0.0)])
    back = e.tick(T0 + 11 * 60)
    assert [(ev.sensor_id, ev.kind) for ev in back] == [
        ("gw1", EventKind.CLEAR),
        ("b", EventKind.FIRE),
    ]


def test_late_and_repeated_readings_are_not_evaluated() -> None:
    e = engine(
        [flood_rule()],
        [sensor("a")],
    )
    minutes(e, "a", [0.1, 0.1])
    result = e.evaluate_readings([("a", T0 + 30, 0.9), ("a", T0 + 60, 0.9)])
    assert result.events == []
    assert result.status.tolist() == [1, 1]


def test_readings_older_than_the_lateness_bound_are_not_evaluated() -> None:
    e = engine([flood_rule()], [sensor("a")])
    e.max_lateness_s = 300
    result = e.evaluate_readings([("a", T0, 0.9), ("a", T0 + 400, 0.0)], now_s=T0 + 600)
    assert result.status.tolist() == [1, 0]
    assert result.events == []


def test_a_batch_out_of_order_is_evaluated_in_time_order() -> None:
    e = engine([flood_rule(**{"for": "1m"})], [sensor("a")])
    result = e.evaluate_readings([("a", T0 + 60, 0.5), ("a", T0, 0.5)])
    assert kinds(result.events) == ["fire"]
    assert result.status.tolist() == [0, 0]


def test_per_sensor_overrides_change_thresholds_and_switch_rules_off() -> None:
    overrides = [
        {"sensor": "deep", "rule": "flood", "levels": {"yellow": 0.6}},
        {"sensor": "broken", "rule": "flood", "enabled": False},
    ]
    e = engine(
        [flood_rule()], [sensor("deep"), sensor("broken"), sensor("plain")], overrides=overrides
    )
    batch = [(s, T0, 0.5) for s in ("deep", "broken", "plain")]
    assert [ev.sensor_id for ev in e.evaluate_readings(batch).events] == ["plain"]


def test_a_restart_keeps_a_pending_for_and_does_not_refire() -> None:
    rules = [
        flood_rule(**{"for": "2m"}),
        flood_rule(id="deep", levels=[{"severity": "red", "threshold": 0.1}]),
    ]
    e = engine(rules, [sensor("a")])
    assert kinds(minutes(e, "a", [0.5, 0.5])) == ["fire"]  # deep fires; flood is pending
    saved = json.loads(json.dumps(e.snapshot()))
    again = engine(rules, [sensor("a")])
    again.restore(saved)
    assert again.state_of("a", "flood") is AlertState.PENDING
    events = minutes(again, "a", [0.5], start=2)
    assert [(ev.rule_id, ev.kind.label) for ev in events] == [("flood", "fire")]


def test_reloading_rules_keeps_state() -> None:
    e = engine([flood_rule(**{"for": "2m"})], [sensor("a")])
    minutes(e, "a", [0.5, 0.5])
    e.reload(parse_rule_set({"rules": [flood_rule(**{"for": "3m"})]}))
    assert e.state_of("a", "flood") is AlertState.PENDING
    assert minutes(e, "a", [0.5], start=2) == []
    assert kinds(minutes(e, "a", [0.5], start=3)) == ["fire"]


def test_positions_of_unknown_sensors_are_minus_one() -> None:
    e = engine([flood_rule()], [sensor("a")])
    assert e.index_of(["a", "zz"]).tolist() == [0, -1]
    assert e.evaluate(np.zeros(0, np.int32), np.zeros(0), np.zeros(0)).events == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"when": "sideways"}, "when must be one of"),
        ({"levels": []}, "give 1 to 4 levels"),
        (
            {"levels": [{"severity": "red", "threshold": 1}, {"severity": "blue", "threshold": 2}]},
            "rise",
        ),
        ({"levels": [{"severity": "purple", "threshold": 1}]}, "unknown severity"),
        ({"levels": [{"severity": "red"}]}, "threshold or an attribute"),
        ({"for": "soon"}, "not a duration"),
        ({"n_of_m": [5, 3]}, "n_of_m"),
        ({"when": "rate_above"}, "needs a window"),
    ],
)
def test_bad_rules_are_refused_with_the_reason(change: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_rule_set({"rules": [flood_rule(**change)]})


def test_severity_names_are_bilingual() -> None:
    assert Severity.parse("红") is Severity.RED
    assert (Severity.ORANGE.name_zh, Severity.ORANGE.name_en) == ("橙色预警", "orange")
    assert SensorType.MANHOLE_TILT.facts.name_en == "Manhole-cover tilt"
