"""Route points to micro-grids in memory: one at a time, or a million at once.

Rule for every path: a point covered by a polygon (its boundary included) goes to
it; where several cover it (a shared edge or vertex, an overlap) the smallest code
wins, in string order. Internally polygons are ordered by code, so "smallest code"
is "lowest index".
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from civicgrid.adapters.spatial.raster import RasterIndex
from civicgrid.adapters.spatial.snapping import nearest_within
from civicgrid.domain.areas.location import Location

IndexArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]

_POLYGONAL = [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON]


class Locator:
    """Point → micro-grid lookup over WGS84 polygons (lon/lat order).

    Read-only once built, so one instance can serve many threads. Building
    prepares the given geometry objects in place (`shapely.prepare`).
    """

    def __init__(
        self,
        codes: Sequence[str],
        geometries: Sequence[BaseGeometry],
        *,
        version: str = "",
        cells_per_side: float = 7.0,
    ) -> None:
        """Build the index. `version` identifies the data, so callers know when to rebuild.

        `cells_per_side` sets the raster cell to that fraction of a typical polygon's side.
        """
        _check_input(codes, geometries)
        self._codes = tuple(codes)
        self._version = version
        order = sorted(range(len(codes)), key=self._codes.__getitem__)
        self._by_rank = [self._codes[i] for i in order]
        # Appending -1 lets "-1 = outside" pass through the rank → input index map.
        self._input_index = np.array([*order, -1], dtype=np.intp)
        self._geoms = np.array([geometries[i] for i in order], dtype=object)
        self._tree = shapely.STRtree(self._geoms)
        self._raster = RasterIndex(self._geoms, cells_per_side) if order else None

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes as given; `locate_many` answers with indices into this tuple."""
        return self._codes

    @property
    def version(self) -> str:
        return self._version

    @property
    def raster(self) -> RasterIndex | None:
        """The batch accelerator (None when empty), exposed for diagnostics."""
        return self._raster

    def __len__(self) -> int:
        return len(self._codes)

    def locate(self, lon: float, lat: float, snap_tolerance_m: float = 0.0) -> Location:
        """The micro-grid at (lon, lat), else the nearest within `snap_tolerance_m`."""
        _check_tolerance(snap_tolerance_m)
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return Location.outside_jurisdiction()
        hits = self._tree.query(shapely.points((lon, lat)), predicate="intersects")
        if hits.size:
            # A list min: numpy reductions cost microseconds on tiny arrays.
            return Location.inside(self._by_rank[min(hits.tolist())])
        if snap_tolerance_m > 0:
            xs, ys = np.array([lon], dtype=np.float64), np.array([lat], dtype=np.float64)
            rank, metres = nearest_within(self._tree, self._geoms, xs, ys, snap_tolerance_m)
            if rank[0] >= 0:
                return Location.snapped_to(self._by_rank[rank[0]], float(metres[0]))
        return Location.outside_jurisdiction()

    def locate_many(self, lons: npt.ArrayLike, lats: npt.ArrayLike) -> IndexArray:
        """Index into `codes` of the micro-grid covering each point; -1 where none does."""
        xs, ys = _as_coordinates(lons, lats)
        if self._raster is None:
            return np.full(xs.size, -1, dtype=np.intp)
        return self._input_index[self._raster.lookup(xs, ys)]

    def snap_many(
        self, lons: npt.ArrayLike, lats: npt.ArrayLike, snap_tolerance_m: float
    ) -> tuple[IndexArray, FloatArray]:
        """`locate_many`, then points outside snap to the nearest within the tolerance.

        Returns indices into `codes` (-1: nothing within reach) and distances in
        metres (0 inside, infinite when nothing is within reach), matching `locate`.
        """
        _check_tolerance(snap_tolerance_m)
        xs, ys = _as_coordinates(lons, lats)
        if self._raster is None:
            return np.full(xs.size, -1, dtype=np.intp), np.full(xs.size, np.inf)
        distance = np.zeros(xs.size)
        rank = self._raster.lookup(xs, ys).astype(np.intp)
        missed = np.flatnonzero(rank < 0)
        valid = missed[np.isfinite(xs[missed]) & np.isfinite(ys[missed])]
        snapped, metres = nearest_within(
            self._tree, self._geoms, xs[valid], ys[valid], snap_tolerance_m
        )
        distance[missed] = np.inf
        rank[valid], distance[valid] = snapped, metres
        return self._input_index[rank], distance


def _check_input(codes: Sequence[str], geometries: Sequence[BaseGeometry]) -> None:
    if len(codes) != len(geometries):
        raise ValueError(f"{len(codes)} codes but {len(geometries)} geometries")
    if len(set(codes)) != len(codes):
        raise ValueError("codes must be unique: the smallest code breaks ties")
    geoms = np.array(geometries, dtype=object)
    bad = ~np.isin(shapely.get_type_id(geoms), _POLYGONAL) | shapely.is_empty(geoms)
    if bad.any():
        code = codes[int(np.argmax(bad))]
        raise ValueError(f"area {code}: expected a non-empty Polygon or MultiPolygon")


def _check_tolerance(snap_tolerance_m: float) -> None:
    if not snap_tolerance_m >= 0 or math.isinf(snap_tolerance_m):
        raise ValueError(
            f"snap tolerance must be a finite number of metres ≥ 0: {snap_tolerance_m}"
        )


def _as_coordinates(lons: npt.ArrayLike, lats: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    xs = np.ascontiguousarray(lons, dtype=np.float64)
    ys = np.ascontiguousarray(lats, dtype=np.float64)
    if xs.ndim != 1 or xs.shape != ys.shape:
        raise ValueError(f"lons and lats must be 1-D and of equal length: {xs.shape}, {ys.shape}")
    return xs, ys
