"""Snap points that fall outside every polygon to the nearest one within a tolerance.

Distances are measured in metres in a local equirectangular plane around each
point (see `civicgrid.domain.areas.location`), not in degrees: at Zhengzhou a
degree of longitude is only 0.82 of a degree of latitude, so the polygon nearest
in degrees is not always the nearest on the ground.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely

from civicgrid.domain.areas.location import METRES_PER_DEGREE

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]

_ORIGIN = shapely.Point(0.0, 0.0)


def nearest_within(
    tree: shapely.STRtree,
    geoms: npt.NDArray[np.object_],
    xs: FloatArray,
    ys: FloatArray,
    tolerance_m: float,
) -> tuple[IndexArray, FloatArray]:
    """For each point, the polygon nearest in metres if within `tolerance_m`.

    Returns the polygon index (-1 when none is within reach) and the distance in
    metres (infinite when none). Equal distances go to the lowest index. `tree`
    must be built over `geoms`.
    """
    found = np.full(xs.size, -1, dtype=np.intp)
    distance = np.full(xs.size, np.inf)
    if xs.size == 0 or tolerance_m <= 0 or geoms.size == 0:
        return found, distance
    per_lon = METRES_PER_DEGREE * np.cos(np.radians(ys))
    # A search radius in degrees that is never shorter than the tolerance along
    # either axis; the exact distance in metres then filters the candidates.
    radius = tolerance_m / np.maximum(np.minimum(per_lon, METRES_PER_DEGREE), 1.0)
    point, polygon = tree.query(shapely.points(xs, ys), predicate="dwithin", distance=radius)
    if point.size == 0:
        return found, distance
    metres = _metric_distance(geoms[polygon], xs[point], ys[point], per_lon[point])
    near = metres <= tolerance_m
    point, polygon, metres = point[near], polygon[near], metres[near]
    order = np.lexsort((polygon, metres, point))
    point, polygon, metres = point[order], polygon[order], metres[order]
    head = np.ones(point.size, dtype=np.bool_)
    head[1:] = point[1:] != point[:-1]
    found[point[head]] = polygon[head]
    distance[point[head]] = metres[head]
    return found, distance


def _metric_distance(
    geoms: npt.NDArray[np.object_], xs: FloatArray, ys: FloatArray, per_lon: FloatArray
) -> FloatArray:
    """Distance in metres from point i to geometry i, in a plane centred on the point."""
    _, owner = shapely.get_coordinates(geoms, return_index=True)

    def to_local_metres(coords: FloatArray) -> FloatArray:
        # `transform` hands over the coordinates in the order get_coordinates used.
        local = np.empty_like(coords)
        local[:, 0] = (coords[:, 0] - xs[owner]) * per_lon[owner]
        local[:, 1] = (coords[:, 1] - ys[owner]) * METRES_PER_DEGREE
        return local

    local = shapely.transform(geoms, to_local_metres)
    return np.asarray(shapely.distance(local, _ORIGIN), dtype=np.float64)
