"""A registered sensor: its micro-grid is fixed once, at registration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from civicgrid.domain.sensors.types import SensorType


@dataclass(frozen=True, slots=True)
class Sensor:
    id: str
    type: SensorType
    lon: float
    lat: float
    area_code: str  # the micro-grid
    area_path: str
    department: str  # owner department code
    registered_at: datetime
    gateway: str | None = None
    attributes: Mapping[str, float] = field(default_factory=dict)
    name: str = ""
    synthetic: bool = False  # demo data, labelled as such
    retired_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.retired_at is None
