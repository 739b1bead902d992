"""Simplified GeoJSON of areas for the offline map: no tile server, the areas are the map."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import shapely
from shapely.geometry import mapping

from civicgrid.domain.areas import Area, Level

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
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(shapely.set_precision(simple, GRID_SIZE)),
                "properties": {
                    "code": area.code,
                    "level": area.level.slug,
                    "name": name(area),
                    "leaf": area.level is Level.MICRO_GRID,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
