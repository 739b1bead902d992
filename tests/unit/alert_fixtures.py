"""Small builders for alert-engine tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from civicgrid.domain.alerts import AlertEngine, AlertEvent, parse_rule_set
from civicgrid.domain.sensors import Sensor, SensorType

T0 = datetime(2026, 7, 20, 8, 0, tzinfo=UTC).timestamp()
REGISTERED = datetime(2026, 7, 20, 7, 0, tzinfo=UTC)


def sensor(
    sensor_id: str,
    kind: SensorType = SensorType.WATER_LEVEL_UNDERPASS,
    *,
    gateway: str | None = None,
    area_path: str = "/410100/410103/",
    **attributes: float,
) -> Sensor:
    return Sensor(
        id=sensor_id,
        type=kind,
        lon=113.66,
        lat=34.75,
        area_code=area_path.strip("/").split("/")[-1],
        area_path=area_path,
        department="water_affairs",
        registered_at=REGISTERED,
        gateway=gateway,
        attributes=attributes,
    )


def engine(rules: list[dict[str, Any]], sensors: list[Sensor], **extra: Any) -> AlertEngine:
    return AlertEngine(parse_rule_set({"rules": rules, **extra}), sensors)


def flood_rule(**changes: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": "flood",
        "sensor_type": "water_level_underpass",
        "category": "event:0407",
        "when": "above",
        "levels": [{"severity": "yellow", "threshold": 0.3}],
    }
    rule.update(changes)
    return rule


def minutes(
    engine: AlertEngine, sensor_id: str, values: list[float], start: float = 0
) -> list[AlertEvent]:
    """Feed one reading a minute from T0 + start minutes; return the events."""
    readings = [(sensor_id, T0 + 60 * (start + i), v) for i, v in enumerate(values)]
    return engine.evaluate_readings(readings).events


def kinds(events: list[AlertEvent]) -> list[str]:
    return [e.kind.label for e in events]
