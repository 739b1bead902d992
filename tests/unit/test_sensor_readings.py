"""Thinning a sensor's readings for its chart, and the thresholds a sensor answers to."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicgrid.domain.alerts import Severity, parse_rule_set
from civicgrid.domain.sensors import Sensor, SensorType
from civicgrid.services.sensor_readings import sensor_thresholds, thin_series

RULES = parse_rule_set(
    {
        "rules": [
            {
                "id": "flooding",
                "name_zh": "积水",
                "name_en": "Flooding",
                "sensor_type": "water_level_underpass",
                "category": "event:0407",
                "when": "above",
                "levels": [
                    {"severity": "yellow", "threshold": 0.15},
                    {"severity": "red", "attribute": "closure_depth"},
                ],
                "clear": {"threshold": 0.05, "for": "5m"},
            },
            {
                "id": "silent",
                "sensor_type": "water_level_underpass",
                "category": "",
                "when": "no_data",
                "levels": [{"severity": "blue", "threshold": "15m"}],
            },
            {
                "id": "gas",
                "sensor_type": "gas",
                "category": "event:0402",
                "when": "above",
                "levels": [{"severity": "red", "threshold": 50}],
            },
        ],
        "overrides": [
            {"sensor": "WL-2", "rule": "flooding", "levels": {"yellow": 0.2}},
            {"sensor": "WL-3", "rule": "flooding", "enabled": False},
        ],
    }
)


def _sensor(sensor_id: str, **attributes: float) -> Sensor:
    return Sensor(
        id=sensor_id,
        type=SensorType.WATER_LEVEL_UNDERPASS,
        lon=113.6,
        lat=34.7,
        area_code="41010200100100101",
        area_path="/410100/410102/",
        department="water_affairs",
        registered_at=datetime(2026, 11, 1, tzinfo=UTC),
        attributes=attributes,
    )


def test_a_short_series_comes_back_whole() -> None:
    assert thin_series([1, 2, 3], [0.5, 0.1, 0.2], 10) == ([1, 2, 3], [0.5, 0.1, 0.2])


def test_thinning_keeps_each_buckets_extremes_so_a_lone_peak_survives() -> None:
    ts = list(range(1000))
    values = [0.0] * 1000
    values[617] = 9.0  # one reading that fired an alert
    kept_ts, kept_values = thin_series(ts, values, 20)
    assert len(kept_ts) <= 20
    assert 617 in kept_ts
    assert max(kept_values) == 9.0
    assert kept_ts == sorted(kept_ts)


@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=400),
    st.integers(2, 50),
)
def test_thinning_keeps_order_bounds_and_the_overall_extremes(
    values: list[float], points: int
) -> None:
    ts = [1000 * i for i in range(len(values))]
    kept_ts, kept_values = thin_series(ts, values, points)
    assert len(kept_ts) == len(kept_values) <= max(points, 2)
    assert kept_ts == sorted(set(kept_ts))
    assert min(kept_values) == min(values)
    assert max(kept_values) == max(values)
    assert all(values[t // 1000] == v for t, v in zip(kept_ts, kept_values, strict=True))


def test_thinning_needs_room_for_two_points() -> None:
    with pytest.raises(ValueError, match="two points"):
        thin_series([1, 2, 3], [1.0, 2.0, 3.0], 1)


def test_thresholds_take_attributes_and_clear_levels() -> None:
    found = sensor_thresholds(RULES, _sensor("WL-1", closure_depth=0.4))
    assert [(t.rule_id, t.severity, t.value) for t in found] == [
        ("flooding", Severity.YELLOW, 0.15),
        ("flooding", Severity.RED, 0.4),
        ("flooding", None, 0.05),
        ("silent", Severity.BLUE, 900.0),  # no_data: seconds of silence, no clear level
    ]
    assert [t.in_units for t in found] == [True, True, True, False]


def test_thresholds_follow_overrides_and_skip_what_cannot_fire() -> None:
    overridden = sensor_thresholds(RULES, _sensor("WL-2"))  # no closure_depth: no red level
    assert [(t.rule_id, t.severity, t.value) for t in overridden if t.rule_id == "flooding"] == [
        ("flooding", Severity.YELLOW, 0.2),
        ("flooding", None, 0.05),
    ]
    disabled = sensor_thresholds(RULES, _sensor("WL-3", closure_depth=0.4))
    assert [t.rule_id for t in disabled] == ["silent"]
