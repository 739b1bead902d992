"""The engine tells which conditions hold but have not yet lasted their "for"."""

from __future__ import annotations

from civicgrid.domain.alerts import Severity
from civicgrid.domain.alerts.engine import PendingAlert
from tests.unit.alert_fixtures import T0, engine, flood_rule, minutes, sensor

LEVELS = [{"severity": "yellow", "threshold": 0.3}, {"severity": "red", "threshold": 0.6}]


def test_a_condition_inside_its_for_is_pending_at_its_highest_level() -> None:
    e = engine([flood_rule(levels=LEVELS, **{"for": "5m"})], [sensor("A"), sensor("B")])
    minutes(e, "A", [0.1, 0.4, 0.7, 0.7])
    minutes(e, "B", [0.1, 0.1])
    assert e.pending_alerts() == [PendingAlert("A", "flood", Severity.RED, T0 + 60)]


def test_a_fired_alert_and_a_lapsed_condition_are_not_pending() -> None:
    e = engine([flood_rule(levels=LEVELS, **{"for": "2m"})], [sensor("A"), sensor("B")])
    minutes(e, "A", [0.4, 0.4, 0.4, 0.4])  # fires after two minutes
    minutes(e, "B", [0.4, 0.1])  # held for a minute, then fell back
    assert [a.sensor_id for a in e.active_alerts()] == ["A"]
    assert e.pending_alerts() == []
