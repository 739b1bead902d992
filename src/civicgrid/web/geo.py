"""Simplified GeoJSON of areas for the offline map: no tile server, the areas are the map."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from civicgrid.domain.areas import Area, Level
from civicgrid.domain.citizens.requests_query import check_bbox
from civicgrid.domain.errors import InvalidInput

# Degrees of simplification per level (~1 m per 1e-5°): coarse for districts seen whole,
# fine for micro-grids seen up close. A phone draws a few hundred vertices per area at most.
TOLERANCE = {
    Level.CITY: 0.002,
    Level.DISTRICT: 0.001,
    Level.STREET: 0.0004,
    Level.COMMUNITY: 0.0001,
    Level.GRID: 0.00005,
    Level.MICRO_GRID: 0.00002,
}
GRID_SIZE = 1e-6  # about 0.1 m: six decimals are enough for a boundary on a phone


def feature_collection(areas: Iterable[Area], name: Callable[[Area], str]) -> dict[str, Any]:
    """Areas with geometry as features carrying only code, level, name and whether they
    have children to drill into."""
    features = []
    for area in areas:
        if area.geometry is None or area.geometry.is_empty:
            continue
        simple = area.geometry.simplify(TOLERANCE[area.level], preserve_topology=True)
        rounded = shapely.set_precision(simple, GRID_SIZE)
        features.append(area_feature(area.code, area.level, name(area), rounded))
    return {"type": "FeatureCollection", "features": features}


def area_feature(
    code: str, level: Level, name: str, geometry: BaseGeometry, **extra: object
) -> dict[str, Any]:
    """One outline, already simplified, as the maps draw it: code, level, name, whether it
    has children to drill into, and any `extra` properties."""
    return {
        "type": "Feature",
        "geometry": mapping(geometry),
        "properties": {
            "code": code,
            "level": level.slug,
            "name": name,
            "leaf": level is Level.MICRO_GRID,
            **extra,
        },
    }


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """A `bbox` query parameter: min lon, min lat, max lon, max lat, comma-separated."""
    try:
        return check_bbox([float(part) for part in text.split(",")])
    except ValueError as exc:
        raise InvalidInput(
            "bbox is four numbers: min_lon,min_lat,max_lon,max_lat", field="bbox"
        ) from exc
