"""Sensors: types with their physical ranges, and the registered sensor."""

from civicgrid.domain.sensors.sensor import Sensor
from civicgrid.domain.sensors.types import SensorType, TypeFacts, within_range

__all__ = ["Sensor", "SensorType", "TypeFacts", "within_range"]
