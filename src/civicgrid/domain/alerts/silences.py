"""Silences and maintenance windows: alerts still change state, but nobody is told."""

from __future__ import annotations

from dataclasses import dataclass

from civicgrid.domain.sensors.sensor import Sensor


@dataclass(frozen=True, slots=True)
class Silence:
    id: int
    starts_s: float
    ends_s: float
    sensor_id: str | None = None
    sensor_type: str | None = None
    area_path: str | None = None  # a subtree: the area and everything under it
    rule_id: str | None = None
    comment: str = ""

    def covers(self, sensor: Sensor | None, sensor_id: str, rule_id: str, at_s: float) -> bool:
        if not self.starts_s <= at_s < self.ends_s:
            return False
        if self.sensor_id is not None and self.sensor_id != sensor_id:
            return False
        if self.rule_id is not None and self.rule_id != rule_id:
            return False
        if self.sensor_type is not None and (
            sensor is None or str(sensor.type) != self.sensor_type
        ):
            return False
        return self.area_path is None or (
            sensor is not None and sensor.area_path.startswith(self.area_path)
        )
