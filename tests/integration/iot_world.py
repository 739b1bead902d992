"""A small city with sensors in it, and an alert pipeline over them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from civicgrid.bootstrap import Container
from civicgrid.domain.access import local_operator
from civicgrid.domain.alerts import RuleSet, parse_rule_set
from civicgrid.services.area_import import import_areas
from civicgrid.services.ingest import (
    AlertPipeline,
    CaseContext,
    Device,
    IncomingReadings,
    IngestResult,
    PipelineSettings,
)
from civicgrid.services.sensors import SensorDraft, register_sensors
from tests.factories import centre_of, small_city
from tests.fixtures import MICRO, MONDAY_9AM

T0 = MONDAY_9AM
FLOOD = {
    "id": "flood",
    "name_zh": "下穿通道积水",
    "name_en": "Underpass flooding",
    "sensor_type": "water_level_underpass",
    "category": "event:0407",
    "when": "above",
    "levels": [{"severity": "yellow", "threshold": 0.15}, {"severity": "red", "threshold": 0.5}],
    "for": "2m",
    "clear": {"threshold": 0.05, "for": "5m"},
}


def rule_set(**changes: Any) -> RuleSet:
    return parse_rule_set({"rules": [{**FLOOD, **changes}], "gateway_timeout": "5m"})


@dataclass
class IotWorld:
    container: Container
    pipeline: AlertPipeline
    lat: float
    lon: float

    def incoming(self, sensor: str, values: list[float], start: int = 0) -> IncomingReadings:
        """A sensor's readings a minute apart from T0 + `start` minutes."""
        return _incoming(
            [(sensor, T0 + timedelta(minutes=start + i), v) for i, v in enumerate(values)]
        )

    def send(
        self,
        rows: list[tuple[str, datetime, float]],
        *,
        device: Device | None = None,
        now: datetime | None = None,
    ) -> IngestResult:
        incoming = _incoming(rows)
        latest = max((r[1] for r in rows), default=T0)
        return self.pipeline.ingest(incoming, device, now or latest)

    def minutes(self, sensor: str, values: list[float], start: int = 0) -> IngestResult:
        return self.send(
            [(sensor, T0 + timedelta(minutes=start + i), v) for i, v in enumerate(values)]
        )

    def restart(self, rules: RuleSet | None = None, now: datetime = T0) -> int:
        self.pipeline = make_pipeline(self.container, rules or self.pipeline.rules)
        return self.pipeline.start(now)


def _incoming(rows: list[tuple[str, datetime, float]]) -> IncomingReadings:
    return IncomingReadings(
        sensor_ids=[r[0] for r in rows],
        ts_ms=np.array([round(r[1].timestamp() * 1000) for r in rows], np.int64),
        values=np.array([r[2] for r in rows], np.float64),
        rows=np.arange(len(rows)),
    )


def make_pipeline(container: Container, rules: RuleSet, **settings: Any) -> AlertPipeline:
    context = CaseContext(container.locators, container.rules)
    return AlertPipeline(container.iot_uow, rules, PipelineSettings(**settings), context)


def build_world(container: Container, rules: RuleSet | None = None, **settings: Any) -> IotWorld:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    lat, lon = centre_of(next(a for a in small_city() if a.code == MICRO))
    drafts = [
        SensorDraft("WL-1", "water_level_underpass", lon, lat, "water_affairs", gateway="GW-1"),
        SensorDraft("WL-2", "water_level_underpass", lon, lat, "water_affairs", gateway="GW-1"),
        SensorDraft("GAS-1", "gas", lon, lat, "gas_supply"),
    ]
    register_sensors(
        container.iot_uow(),
        container.locators,
        local_operator(),
        drafts,
        now=T0 - timedelta(hours=1),
        snap_tolerance_m=50,
    )
    pipeline = make_pipeline(container, rules or rule_set(), **settings)
    pipeline.start(T0)
    return IotWorld(container, pipeline, lat, lon)
