"""`civicgrid simulate sensors`: synthetic streams for the demo, labelled synthetic.

A storm over one district (金水区, 410105, in the Zhengzhou demo): water rises in its
underpasses over the first 40 minutes and recedes; a manhole-tilt sensor flaps; the
gateway of two gas sensors goes silent half way. Readings go through the same pipeline
as real ones, at simulated time (no waiting).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from civicgrid.domain.access import Principal
from civicgrid.domain.areas import Level
from civicgrid.domain.errors import NotFound
from civicgrid.services.ingest import AlertPipeline, IncomingReadings
from civicgrid.services.ports import LocatorProvider
from civicgrid.services.sensor_ports import IotUnitOfWork
from civicgrid.services.sensors import SensorDraft, register_sensors

UNDERPASSES = 6
PREFIX = "SIM-"


@dataclass
class SimulationReport:
    sensors: int = 0
    readings: int = 0
    events: dict[str, int] = field(default_factory=dict)


def simulate_storm(
    uow: IotUnitOfWork,
    locators: LocatorProvider,
    principal: Principal,
    pipeline: AlertPipeline,
    *,
    district: str,
    start: datetime,
    minutes: int = 60,
    seed: int = 2021,
) -> SimulationReport:
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible, not secrets
    spots = _micro_grid_points(uow, district, rng, UNDERPASSES + 3)
    drafts = [
        SensorDraft(
            f"{PREFIX}WL-{district}-{i + 1}",
            "water_level_underpass",
            *spots[i],
            "water_affairs",
            gateway=f"{PREFIX}GW-{district}-A",
            attributes={"closure_depth": 0.4},
            name=f"模拟下穿通道 {i + 1}",
            synthetic=True,
        )
        for i in range(UNDERPASSES)
    ]
    drafts.append(
        SensorDraft(
            f"{PREFIX}MT-{district}-1",
            "manhole_tilt",
            *spots[UNDERPASSES],
            "municipal_engineering",
            gateway=f"{PREFIX}GW-{district}-B",
            name="模拟井盖（反复波动）",
            synthetic=True,
        )
    )
    drafts += [
        SensorDraft(
            f"{PREFIX}GAS-{district}-{i + 1}",
            "gas",
            *spots[UNDERPASSES + 1 + i],
            "gas_supply",
            gateway=f"{PREFIX}GW-{district}-C",
            name="模拟燃气监测",
            synthetic=True,
        )
        for i in range(2)
    ]
    register_sensors(
        uow, locators, principal, drafts, now=start - timedelta(minutes=1), snap_tolerance_m=0
    )
    pipeline.refresh(start)
    report = SimulationReport(sensors=len(drafts))
    peaks = [rng.uniform(0.2, 0.6) for _ in range(UNDERPASSES)]
    for minute in range(minutes):
        now = start + timedelta(minutes=minute)
        rows: list[tuple[str, float]] = []
        for i, peak in enumerate(peaks):
            rise = math.sin(math.pi * min(minute, 80) / 80) if minute < 80 else 0.0
            rows.append((drafts[i].id, max(0.0, 0.02 + peak * rise + rng.gauss(0, 0.01))))
        rows.append((drafts[UNDERPASSES].id, 20.0 if minute % 9 < 3 else 1.0))  # flapping
        if minute < minutes // 2:  # then gateway C goes silent
            rows += [(d.id, abs(rng.gauss(1.0, 0.3))) for d in drafts[UNDERPASSES + 1 :]]
        incoming = IncomingReadings(
            sensor_ids=[r[0] for r in rows],
            ts_ms=np.full(len(rows), round(now.timestamp() * 1000), np.int64),
            values=np.array([r[1] for r in rows], np.float64),
            rows=np.arange(len(rows)),
        )
        result = pipeline.ingest(incoming, None, now)
        report.readings += result.accepted
        for event in [*result.events, *pipeline.tick(now)]:
            report.events[event.kind.label] = report.events.get(event.kind.label, 0) + 1
    return report


def _micro_grid_points(
    uow: IotUnitOfWork, district: str, rng: random.Random, count: int
) -> list[tuple[float, float]]:
    """Centres of `count` micro-grids of the district, picked at random."""
    with uow:
        root = uow.areas.get(district, with_geometry=False)
        if root is None:
            raise NotFound(
                f"no area {district}; import the areas first (civicgrid demo)", field="district"
            )
        grids = uow.areas.subtree(
            root.path, level=Level.MICRO_GRID, offset=0, limit=2000, with_geometry=True
        ).items
    grids = [g for g in grids if g.geometry is not None]
    if not grids:
        raise NotFound(f"area {district} has no micro-grids with shapes", field="district")
    picked = [grids[rng.randrange(len(grids))] for _ in range(count)]
    points = []
    for grid in picked:
        assert grid.geometry is not None  # noqa: S101 - filtered above
        inner = grid.geometry.representative_point()
        points.append((float(inner.x), float(inner.y)))
    return points
