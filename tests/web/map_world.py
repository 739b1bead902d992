"""The citizen world for the staff map tests: districts with finely wavy outlines (so that
simplifying them shows), a city leader ("mayor"), and an active alert at MICRO."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import timedelta

from shapely.geometry import Polygon

from civicgrid.domain.access import Role
from civicgrid.domain.areas import Area, Level
from civicgrid.services import users
from civicgrid.services.area_import import import_areas
from civicgrid.services.sensor_ports import StoredAlert
from tests.factories import small_city
from tests.integration.citizen_world import MICRO, MONDAY_9AM, CitizenWorld, PlainHasher

MAYOR = "mayor"
AMPLITUDE = 0.0005  # degrees: under half a pixel at zoom 8, ten pixels at zoom 14
WAVELENGTH = 0.004
STEPS_PER_WAVE = 16


def wavy_box(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    """A box whose top edge dips inwards in small waves: thousands of vertices, and still
    inside the plain box, so the children (plain boxes) stay inside within tolerance."""
    count = round((x1 - x0) / WAVELENGTH * STEPS_PER_WAVE)
    top = []
    for i in range(count + 1):
        x = x1 - (x1 - x0) * i / count
        dip = AMPLITUDE * (1 - math.cos(2 * math.pi * (x - x0) / WAVELENGTH)) / 2
        top.append((x, y1 - dip))
    return Polygon([(x0, y0), (x1, y0), *top, (x0, y0)])


def wavy_city() -> list[Area]:
    areas = small_city()
    changed = []
    for area in areas:
        if area.level is Level.DISTRICT and area.geometry is not None:
            area = replace(area, geometry=wavy_box(*area.geometry.bounds))
        changed.append(area)
    return changed


def furnish(world: CitizenWorld) -> None:
    """Wavy districts (an upsert by code), the mayor, and one active alert at MICRO."""
    c = world.container
    import_areas(c.uow(), wavy_city(), english_name=c.english_name)
    users.add_user(c.uow(), PlainHasher(), MAYOR, "long enough password", now=MONDAY_9AM)
    users.grant_role(c.uow(), MAYOR, Role.LEADER, "410100", now=MONDAY_9AM)
    path = "/410100/410102/410102001/410102001001/410102001001001/" + MICRO + "/"
    with c.iot_uow() as uow:
        uow.alerts.add(
            StoredAlert(
                id=0,
                sensor_id="water-1",
                rule_id="ponding",
                category="event:0101",
                area_code=MICRO,
                area_path=path,
                severity=2,
                active=True,
                flapping=False,
                silenced=False,
                fired_at=MONDAY_9AM - timedelta(minutes=5),
                cleared_at=None,
                last_value=0.3,
                hits=1,
                fires=1,
                acknowledged_at=None,
                acknowledged_by=None,
                assignee=None,
                case_id=None,
                evidence={
                    "sensor": {
                        "id": "water-1",
                        "name": "下穿隧道 1",
                        "lon": world.lon,
                        "lat": world.lat,
                    }
                },
            )
        )
        uow.commit()
