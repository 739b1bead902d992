"""Sensor types: what each measures, in which unit, and the physically possible range."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SensorType(StrEnum):
    WATER_LEVEL_UNDERPASS = "water_level_underpass"
    WATER_LEVEL_RIVER = "water_level_river"
    MANHOLE_TILT = "manhole_tilt"
    SMOKE = "smoke"
    GAS = "gas"
    STRAIN = "strain"
    AIR_QUALITY = "air_quality"
    CAMERA = "camera"

    @property
    def facts(self) -> TypeFacts:
        return _FACTS[self]


@dataclass(frozen=True, slots=True)
class TypeFacts:
    name_zh: str
    name_en: str
    unit: str
    low: float  # readings outside [low, high] are physically impossible: rejected
    high: float


_FACTS = {
    SensorType.WATER_LEVEL_UNDERPASS: TypeFacts(
        "下穿通道积水监测", "Underpass water level", "m", 0, 10
    ),
    SensorType.WATER_LEVEL_RIVER: TypeFacts("河道水位监测", "River water level", "m", -5, 200),
    SensorType.MANHOLE_TILT: TypeFacts("井盖倾斜监测", "Manhole-cover tilt", "°", 0, 180),
    SensorType.SMOKE: TypeFacts("烟感", "Smoke", "%obs/m", 0, 100),
    SensorType.GAS: TypeFacts("可燃气体监测", "Combustible gas", "%LEL", 0, 100),
    SensorType.STRAIN: TypeFacts(
        "桥梁建筑应变监测", "Bridge or building strain", "με", -10000, 10000
    ),
    SensorType.AIR_QUALITY: TypeFacts("空气质量监测", "Air quality", "AQI", 0, 1000),
    SensorType.CAMERA: TypeFacts("视频监控", "Camera", "confidence", 0, 1),
}


def within_range(sensor_type: SensorType, value: float) -> bool:
    facts = _FACTS[sensor_type]
    return facts.low <= value <= facts.high
