"""A lattice over the polygons that answers most point lookups with one array read.

Cells that no polygon boundary touches are "pure": every point in them lies in the
same polygons, so the cell stores the answer. The other, "mixed", cells keep a short
list of candidate polygons, and their points are tested exactly.

Indices are priorities: where several polygons contain a point (a shared boundary,
an overlap) the lowest index wins, so callers order the polygons by code first.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import shapely

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.int32]

# Cells are grown by this fraction of a cell when marking boundaries and listing
# candidates, so float rounding in the point-to-cell arithmetic (~1e-11 of a cell
# for city coordinates) can never hide a boundary.
_MARGIN = 1e-6
# Boundary samples this many cells apart: closer samples make the band of mixed
# cells narrower (faster lookups) but cost build time.
_SAMPLE_STEP = 0.5
_MAX_CELLS = 1 << 24
_PAD = 2  # the outer ring of cells is always empty, so clamped points land there


class RasterIndex:
    """Lattice accelerator for point-in-polygon over `geometries` (lon/lat)."""

    def __init__(self, geometries: npt.NDArray[np.object_], cells_per_side: float = 7.0) -> None:
        if len(geometries) == 0:
            raise ValueError("a raster index needs at least one polygon")
        self._geoms = geometries
        shapely.prepare(geometries)
        bounds = shapely.bounds(geometries)
        # GEOS builds a prepared polygon's point index lazily and without a lock
        # (libgeos/geos#825); one query per polygon now makes later lookups
        # read-only, so threads can share the index.
        shapely.intersects_xy(
            geometries, (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
        )
        self._size_lattice(bounds, cells_per_side)
        mixed = self._mark_boundary_cells()
        self._values = np.empty(mixed.size, dtype=np.int32)
        self._label_pure_runs(mixed)
        self._list_candidates(mixed, bounds)

    @property
    def shape(self) -> tuple[int, int]:
        return self._ny, self._nx

    @property
    def origin(self) -> tuple[float, float]:
        """Lower-left corner of cell (0, 0); cell (row, col) starts `col` widths right of it."""
        return self._x0, self._y0

    @property
    def cell_size(self) -> tuple[float, float]:
        return self._w, self._h

    @property
    def mixed_share(self) -> float:
        """Share of cells whose points need an exact test."""
        return float(np.count_nonzero(self._values < -1)) / self._values.size

    def lookup(self, xs: FloatArray, ys: FloatArray) -> IndexArray:
        """Index of the lowest polygon covering each point, or -1."""
        cells = self._cells_of(xs, ys)
        found = self._values[cells]
        mixed = np.flatnonzero(found < -1)
        if mixed.size:
            found[mixed] = self._resolve_mixed(-2 - found[mixed], xs[mixed], ys[mixed])
        return found

    def is_mixed(self, xs: FloatArray, ys: FloatArray) -> npt.NDArray[np.bool_]:
        """Whether each point's cell needs an exact test (a boundary may cross it)."""
        return np.asarray(self._values[self._cells_of(xs, ys)] < -1)

    # --- lattice -------------------------------------------------------------

    def _size_lattice(self, bounds: FloatArray, cells_per_side: float) -> None:
        # A typical polygon's side from its area, stretched by the typical bounding
        # box's aspect: a degree of longitude is shorter than one of latitude, and
        # bounding boxes alone overstate the side of tilted or jittered polygons.
        area = float(np.median(shapely.area(self._geoms)))
        typical_w = float(np.median(bounds[:, 2] - bounds[:, 0]))
        typical_h = float(np.median(bounds[:, 3] - bounds[:, 1]))
        aspect = typical_w / typical_h if typical_w > 0 and typical_h > 0 else 1.0
        width = math.sqrt(area * aspect) / cells_per_side
        height = math.sqrt(area / aspect) / cells_per_side
        xmin, ymin = float(bounds[:, 0].min()), float(bounds[:, 1].min())
        xmax, ymax = float(bounds[:, 2].max()), float(bounds[:, 3].max())
        width = width or (xmax - xmin) or 1.0
        height = height or (ymax - ymin) or 1.0
        cells = ((xmax - xmin) / width + 2 * _PAD + 1) * ((ymax - ymin) / height + 2 * _PAD + 1)
        if cells > _MAX_CELLS:
            grow = math.sqrt(cells / _MAX_CELLS)
            width, height = width * grow, height * grow
        self._w, self._h = width, height
        self._x0, self._y0 = xmin - _PAD * width, ymin - _PAD * height
        self._nx = math.ceil((xmax - xmin) / width) + 2 * _PAD + 1
        self._ny = math.ceil((ymax - ymin) / height) + 2 * _PAD + 1

    def _cells_of(self, xs: FloatArray, ys: FloatArray) -> npt.NDArray[np.intp]:
        # fmax/fmin send NaN to 0 and clamp the rest into the lattice; both land
        # in the empty outer ring when the point is off the lattice.
        col = np.fmin(np.fmax((xs - self._x0) / self._w, 0.0), self._nx - 1).astype(np.intp)
        row = np.fmin(np.fmax((ys - self._y0) / self._h, 0.0), self._ny - 1).astype(np.intp)
        row *= self._nx
        row += col
        return row

    # --- build ---------------------------------------------------------------

    def _mark_boundary_cells(self) -> npt.NDArray[np.bool_]:
        """Cells some boundary may touch, found from points sampled along the boundaries.

        Samples are at most `_SAMPLE_STEP` cells apart along each axis, so every
        boundary point lies within half that, per axis, of a sample. Marking the
        cells that a box of that half-side around each sample overlaps therefore
        marks every cell a boundary touches; the box is narrower than a cell, so
        it overlaps at most 2 x 2 cells.
        """
        u, v = _boundary_samples(self._geoms, self._x0, self._y0, self._w, self._h)
        reach = _SAMPLE_STEP / 2 + _MARGIN
        col_lo, col_hi = np.floor(u - reach).astype(np.intp), np.floor(u + reach).astype(np.intp)
        row_lo, row_hi = np.floor(v - reach).astype(np.intp), np.floor(v + reach).astype(np.intp)
        mixed = np.zeros(self._ny * self._nx, dtype=np.bool_)
        row_lo *= self._nx
        row_hi *= self._nx
        for row in (row_lo, row_hi):
            for col in (col_lo, col_hi):
                mixed[row + col] = True
        return mixed

    def _label_pure_runs(self, mixed: npt.NDArray[np.bool_]) -> None:
        """Label pure cells with one exact lookup per run of them along a row.

        No boundary touches a run (the closed cells form a rectangle), so the
        centre of its first cell answers for the whole run.
        """
        pure = ~mixed
        starts = pure.copy()
        starts[1:] &= mixed[:-1]
        starts[:: self._nx] = pure[:: self._nx]
        first = np.flatnonzero(starts)
        xs = self._x0 + (first % self._nx + 0.5).astype(np.float64) * self._w
        ys = self._y0 + (first // self._nx + 0.5).astype(np.float64) * self._h
        labels = _lowest_covering(self._geoms, xs, ys)
        run = np.cumsum(starts) - 1
        self._values[pure] = labels[run[pure]]

    def _list_candidates(self, mixed: npt.NDArray[np.bool_], bounds: FloatArray) -> None:
        """Per mixed cell, the polygons whose bounding box reaches it, lowest first."""
        col_lo = np.floor((bounds[:, 0] - self._x0) / self._w - _MARGIN).astype(np.intp)
        col_hi = np.floor((bounds[:, 2] - self._x0) / self._w + _MARGIN).astype(np.intp)
        row_lo = np.floor((bounds[:, 1] - self._y0) / self._h - _MARGIN).astype(np.intp)
        row_hi = np.floor((bounds[:, 3] - self._y0) / self._h + _MARGIN).astype(np.intp)
        widths = col_hi - col_lo + 1
        counts = widths * (row_hi - row_lo + 1)
        polygon = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
        offset = np.arange(polygon.size) - np.repeat(np.cumsum(counts) - counts, counts)
        cell = (np.repeat(row_lo, counts) + offset // np.repeat(widths, counts)) * self._nx
        cell += np.repeat(col_lo, counts) + offset % np.repeat(widths, counts)
        keep = mixed[cell]
        cell, polygon = cell[keep], polygon[keep]

        mixed_cells = np.flatnonzero(mixed)
        owner = np.searchsorted(mixed_cells, cell)
        # Pairs come polygon by polygon, so a stable sort keeps each list ascending.
        order = np.argsort(owner, kind="stable")
        self._candidates = polygon[order]
        self._starts = np.zeros(mixed_cells.size + 1, dtype=np.intp)
        np.cumsum(np.bincount(owner, minlength=mixed_cells.size), out=self._starts[1:])
        self._values[mixed_cells] = -2 - np.arange(mixed_cells.size, dtype=np.int32)

    # --- mixed cells ---------------------------------------------------------

    def _resolve_mixed(self, ids: IndexArray, xs: FloatArray, ys: FloatArray) -> IndexArray:
        """Test each point against its cell's candidates in order; first hit wins."""
        found = np.full(ids.size, -1, dtype=np.int32)
        first = self._starts[ids]
        remaining = self._starts[ids + 1] - first
        todo = np.flatnonzero(remaining)
        rank = 0
        while todo.size:
            candidate = self._candidates[first[todo] + rank]
            hit = shapely.intersects_xy(self._geoms[candidate], xs[todo], ys[todo])
            found[todo[hit]] = candidate[hit]
            rank += 1
            todo = todo[~hit & (remaining[todo] > rank)]
        return found


def _lowest_covering(geoms: npt.NDArray[np.object_], xs: FloatArray, ys: FloatArray) -> IndexArray:
    """For each point, the lowest index among `geoms` that covers it, or -1."""
    tree = shapely.STRtree(geoms)
    point, polygon = tree.query(shapely.points(xs, ys), predicate="intersects")
    found = np.full(xs.size, -1, dtype=np.int32)
    # Sort by point, then polygon, and keep each point's first pair.
    order = np.lexsort((polygon, point))
    point, polygon = point[order], polygon[order]
    head = np.ones(point.size, dtype=np.bool_)
    head[1:] = point[1:] != point[:-1]
    found[point[head]] = polygon[head]
    return found


def _boundary_samples(
    geoms: npt.NDArray[np.object_], x0: float, y0: float, w: float, h: float
) -> tuple[FloatArray, FloatArray]:
    """Points along every ring, in cell units, at most `_SAMPLE_STEP` apart per axis."""
    rings = shapely.get_rings(shapely.get_parts(geoms))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    u = (coords[:, 0] - x0) / w
    v = (coords[:, 1] - y0) / h
    # Consecutive coordinates of one ring form a segment; a closed ring's last
    # coordinate repeats its first, so segment starts cover every vertex.
    same = np.flatnonzero(ring[1:] == ring[:-1])
    u0, v0 = u[same], v[same]
    du, dv = u[same + 1] - u0, v[same + 1] - v0
    pieces = np.ceil(np.maximum(np.abs(du), np.abs(dv)) / _SAMPLE_STEP).astype(np.intp)
    np.maximum(pieces, 1, out=pieces)
    segment = np.repeat(np.arange(pieces.size), pieces)
    t = np.arange(segment.size) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    t = t / pieces[segment]
    return u0[segment] + t * du[segment], v0[segment] + t * dv[segment]
