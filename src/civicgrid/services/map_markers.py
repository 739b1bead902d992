"""Live markers of the staff map: open cases, active alerts, and case density.

Clustering is done on the server at low zoom: one marker per child area of the area in
focus, with its count of open cases and lights, from one GROUP BY over the case index.
With a million cases a city holds tens of thousands open; shipping them to a browser to
cluster there would cost megabytes and seconds, while the counts are a few hundred bytes.
From POINTS_FROM_ZOOM on, the screen covers a few grids and the cases in view are sent
one by one (newest first, at most MAX_POINTS), for the browser to cluster what overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import shapely

from civicgrid.domain.access import Action, Principal, readable_scopes
from civicgrid.domain.areas import Level
from civicgrid.domain.areas.codes import code_length
from civicgrid.domain.cases.sla import Light
from civicgrid.services.areas import access_area
from civicgrid.services.case_ports import CasePoint, light_between
from civicgrid.services.map_layers import Box, check_zoom, tolerance_for_zoom
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.sensor_ports import IotUnitOfWork

POINTS_FROM_ZOOM = 14  # grids and finer: a screen holds a few hundred open cases
MAX_POINTS = 1000
MAX_ALERTS = 500
HEAT_CELL_PX = 12  # a density cell is this many screen pixels wide


@dataclass(frozen=True, slots=True)
class AreaMarker:
    """The open cases under one area, drawn at a point inside it."""

    code: str
    lon: float
    lat: float
    open: int
    overdue: int
    warning: int


@dataclass(frozen=True, slots=True)
class CaseMarker:
    point: CasePoint
    light: Light | None


@dataclass(frozen=True, slots=True)
class AlertMarker:
    id: int
    lon: float
    lat: float
    severity: int
    category: str
    sensor_name: str


def path_length(level: Level) -> int:
    """Characters in the path of any area at `level`: "/" and each code with its "/"."""
    return 1 + sum(code_length(above) + 1 for above in Level if above <= level)


def count_open_cases_by_child(
    uow: UnitOfWork, principal: Principal, parent: str, *, now: datetime
) -> list[AreaMarker]:
    """One marker per child of `parent` that has open cases (`parent` itself for a
    micro-grid), placed on a point inside the child."""
    with uow:
        area = access_area(uow, principal, parent, Action.READ, with_geometry=True)
        level = area.level.child() or area.level
        children = uow.areas.children_of([area.code]) if area.level.child() else [area]
        counts = uow.cases.count_open_by_area(
            readable_scopes(principal), within=area.path, path_length=path_length(level), now=now
        )
    by_path = {c.path: c for c in counts}
    placed = [c for c in children if c.path in by_path and c.geometry is not None]
    points = shapely.point_on_surface(np.array([c.geometry for c in placed], dtype=object))
    return [
        AreaMarker(
            code=child.code,
            lon=float(point.x),
            lat=float(point.y),
            open=by_path[child.path].open,
            overdue=by_path[child.path].overdue,
            warning=by_path[child.path].warning,
        )
        for child, point in zip(placed, points, strict=True)
    ]


def list_open_case_points(
    uow: UnitOfWork, principal: Principal, box: Box, *, now: datetime, limit: int = MAX_POINTS
) -> list[CaseMarker]:
    """The newest open cases in `box` inside the caller's subtree, with their lights."""
    with uow:
        points = uow.cases.open_points(readable_scopes(principal), box, limit=limit)
    return [CaseMarker(p, light_between(p.warning_at, p.deadline_at, now)) for p in points]


def get_case_density(
    uow: UnitOfWork, principal: Principal, box: Box, zoom: int
) -> list[tuple[float, float, int]]:
    """Open cases in `box` per cell of HEAT_CELL_PX pixels at `zoom`: (lon, lat, count)."""
    cell = 2 * tolerance_for_zoom(check_zoom(zoom)) * HEAT_CELL_PX
    with uow:
        return uow.cases.open_density(readable_scopes(principal), box, cell=cell)


def list_active_alert_points(
    uow: IotUnitOfWork, principal: Principal, parent: str
) -> list[AlertMarker]:
    """Active alerts under `parent`, placed where their sensor stands."""
    with uow:
        area = access_area(uow, principal, parent, Action.READ, with_geometry=False)
        alerts = uow.alerts.within([area.path], active=True, offset=0, limit=MAX_ALERTS).items
        markers = []
        for alert in alerts:
            sensor = alert.evidence.get("sensor")
            place = sensor if isinstance(sensor, dict) else {}
            lon, lat, name = place.get("lon"), place.get("lat"), place.get("name", "")
            if not isinstance(lon, float | int) or not isinstance(lat, float | int):
                stored = uow.sensors.get(alert.sensor_id)
                if stored is None:
                    continue
                lon, lat, name = stored.lon, stored.lat, stored.name
            markers.append(
                AlertMarker(
                    alert.id, float(lon), float(lat), alert.severity, alert.category, str(name)
                )
            )
    return markers
