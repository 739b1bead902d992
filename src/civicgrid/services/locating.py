"""Locating a point to its micro-grid and the chain of areas above it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from civicgrid.domain.access import Action, Principal
from civicgrid.domain.areas import Area
from civicgrid.domain.areas.location import Location
from civicgrid.domain.errors import InvalidInput
from civicgrid.services.areas import access_area, get_ancestors
from civicgrid.services.ports import LocatorProvider, UnitOfWork


@dataclass(frozen=True, slots=True)
class LocatedPoint:
    location: Location
    chain: list[Area]  # from the city down to the micro-grid; empty when outside


def check_coordinates(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise InvalidInput(f"lat {lat} is not a latitude between -90 and 90", field="lat")
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise InvalidInput(f"lon {lon} is not a longitude between -180 and 180", field="lon")


def locate_point(
    uow: UnitOfWork,
    locators: LocatorProvider,
    principal: Principal,
    *,
    lat: float,
    lon: float,
    snap_tolerance_m: float,
) -> LocatedPoint:
    check_coordinates(lat, lon)
    if not (math.isfinite(snap_tolerance_m) and 0 <= snap_tolerance_m <= 5000):
        raise InvalidInput("snap tolerance must be between 0 and 5000 metres", field="snap_m")
    with uow:
        location = locators.current(uow).locate(lon, lat, snap_tolerance_m)
        if location.code is None:
            return LocatedPoint(location=location, chain=[])
        area = access_area(uow, principal, location.code, Action.READ, with_geometry=False)
        return LocatedPoint(location=location, chain=[*get_ancestors(uow, area), area])
