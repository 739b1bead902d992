"""Every lookup path agrees with a naive loop over all polygons, on random partitions."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from civicgrid.adapters.spatial import Locator
from civicgrid.domain.areas.location import metres_per_degree

ORIGIN = (113.0, 34.5)


@dataclass(frozen=True)
class Partition:
    codes: list[str]
    geometries: list[BaseGeometry]
    spacing: float


@st.composite
def partitions(draw: st.DrawFn) -> Partition:
    """A jittered grid of quads with some left out, a MultiPolygon, a hole, an overlap.

    Nodes move less than a third of the spacing, so the quads stay simple and the
    middle of each lattice cell stays inside its quad (room for a hole).
    """
    cols, rows = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    spacing = draw(st.sampled_from([0.01, 0.005, 0.0037]))
    jitter = draw(st.sampled_from([0.0, 0.1, 0.3]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    xs = ORIGIN[0] + np.arange(cols + 1) * spacing
    ys = ORIGIN[1] + np.arange(rows + 1) * spacing
    nx, ny = np.meshgrid(xs, ys)
    nx += rng.uniform(-jitter, jitter, nx.shape) * spacing
    ny += rng.uniform(-jitter, jitter, ny.shape) * spacing

    def quad(c: int, r: int) -> Polygon:
        corners = [(r, c), (r, c + 1), (r + 1, c + 1), (r + 1, c)]
        return Polygon([(nx[i, j], ny[i, j]) for i, j in corners])

    def middle(c: int, r: int) -> Polygon:
        x, y = xs[c] + spacing / 2, ys[r] + spacing / 2
        return box(x - 0.15 * spacing, y - 0.15 * spacing, x + 0.15 * spacing, y + 0.15 * spacing)

    cells = {(c, r): quad(c, r) for c in range(cols) for r in range(rows)}
    geometries: list[BaseGeometry] = []
    if cols >= 3 and draw(st.booleans()):
        geometries.append(MultiPolygon([cells.pop((0, 0)), cells.pop((2, 0))]))
    with_hole = draw(st.booleans())
    if cells and with_hole:
        holed: tuple[int, int] = draw(st.sampled_from(sorted(cells)))
        geometries.append(cells.pop(holed).difference(middle(*holed)))
        if draw(st.booleans()):
            geometries.append(middle(*holed))
    keep = draw(st.lists(st.booleans(), min_size=len(cells), max_size=len(cells)))
    geometries += [geom for geom, kept in zip(cells.values(), keep, strict=True) if kept]
    if draw(st.booleans()):
        # A stray polygon overlapping others: inside the overlap the smaller code wins.
        left, bottom = rng.uniform(0, cols) * spacing, rng.uniform(0, rows) * spacing
        width, height = rng.uniform(0.2, 3, 2) * spacing
        x, y = ORIGIN[0] + left, ORIGIN[1] + bottom
        geometries.append(box(x, y, x + width, y + height))
    # Codes in an order unrelated to position, so "smallest code" is tested for real.
    codes = [f"{n:03d}" for n in rng.permutation(len(geometries))]
    return Partition(codes, geometries, spacing)


def probe_points(
    partition: Partition, locator: Locator, seed: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Random points plus the awkward ones: vertices, edges and raster lattice lines."""
    rng = np.random.default_rng(seed)
    pad = partition.spacing
    bounds = shapely.total_bounds(partition.geometries) if partition.geometries else None
    x0, y0, x1, y1 = bounds if bounds is not None else (*ORIGIN, ORIGIN[0] + pad, ORIGIN[1] + pad)
    lons: list[npt.NDArray[np.floating[Any]]] = [rng.uniform(x0 - pad, x1 + pad, 150)]
    lats: list[npt.NDArray[np.floating[Any]]] = [rng.uniform(y0 - pad, y1 + pad, 150)]
    for geom in partition.geometries:
        for ring in shapely.get_rings(shapely.get_parts(geom)):
            coords = shapely.get_coordinates(ring)
            t = rng.uniform(0, 1, (len(coords) - 1, 1))
            on_edges = coords[:-1] + t * (coords[1:] - coords[:-1])
            midpoints = (coords[:-1] + coords[1:]) / 2
            for xy in (coords, on_edges, midpoints):
                lons.append(xy[:, 0])
                lats.append(xy[:, 1])
    if locator.raster is not None:
        (ox, oy), (w, h) = locator.raster.origin, locator.raster.cell_size
        ny, nx = locator.raster.shape
        col, row = rng.integers(0, nx + 1, 60), rng.integers(0, ny + 1, 60)
        lons += [ox + col * w, ox + col * w, rng.uniform(x0, x1, 60)]
        lats += [oy + row * h, rng.uniform(y0, y1, 60), oy + row * h]
        for geom in partition.geometries:
            xy = edge_points_in_every_cell(geom, (ox, oy), (w, h))
            lons.append(xy[:, 0])
            lats.append(xy[:, 1])
    return np.concatenate(lons), np.concatenate(lats)


def edge_points_in_every_cell(
    geom: BaseGeometry, origin: tuple[float, float], size: tuple[float, float]
) -> npt.NDArray[np.float64]:
    """One point on each piece of edge between lattice lines, however short.

    A piece that only clips the corner of a cell is where a careless raster would
    call the cell pure.
    """
    points = []
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        coords = shapely.get_coordinates(ring)
        for start, end in itertools.pairwise(coords):
            cuts = [0.0, 1.0]
            for axis in (0, 1):
                low, high = sorted((start[axis], end[axis]))
                if high == low:
                    continue
                first = np.ceil((low - origin[axis]) / size[axis])
                last = np.floor((high - origin[axis]) / size[axis])
                lines = origin[axis] + np.arange(first, last + 1) * size[axis]
                cuts += ((lines - start[axis]) / (end[axis] - start[axis])).tolist()
            t = np.unique(np.clip(cuts, 0.0, 1.0))
            middles = (t[:-1] + t[1:])[:, None] / 2
            points.append(start + middles * (end - start))
    return np.concatenate(points) if points else np.empty((0, 2))


def naive_code(partition: Partition, lon: float, lat: float) -> str | None:
    """Test every polygon in turn (one vectorised call); the smallest code wins."""
    hits = shapely.intersects(np.array(partition.geometries, dtype=object), Point(lon, lat))
    return min((partition.codes[i] for i in np.flatnonzero(hits)), default=None)


def naive_metres(geom: BaseGeometry, lon: float, lat: float) -> float:
    per_lon, per_lat = metres_per_degree(lat)
    local = shapely.transform(geom, lambda xy: (xy - [lon, lat]) * [per_lon, per_lat])
    return float(shapely.distance(local, Point(0, 0)))


@settings(max_examples=150, deadline=None)
@given(partitions(), st.sampled_from([1.0, 2.5, 7.0]), st.integers(0, 2**32 - 1))
def test_locate_many_and_locate_agree_with_a_naive_loop_over_all_polygons(
    partition: Partition, cells_per_side: float, seed: int
) -> None:
    locator = Locator(partition.codes, partition.geometries, cells_per_side=cells_per_side)
    lons, lats = probe_points(partition, locator, seed)
    batch = locator.locate_many(lons, lats)
    for lon, lat, index in zip(lons.tolist(), lats.tolist(), batch.tolist(), strict=True):
        expected = naive_code(partition, lon, lat)
        assert locator.locate(lon, lat).code == expected, (lon, lat)
        assert (locator.codes[index] if index >= 0 else None) == expected, (lon, lat)


@settings(max_examples=60, deadline=None)
@given(partitions(), st.sampled_from([10.0, 300.0, 2_000.0]), st.integers(0, 2**32 - 1))
def test_snapping_finds_the_nearest_polygon_in_metres_within_the_tolerance(
    partition: Partition, tolerance_m: float, seed: int
) -> None:
    locator = Locator(partition.codes, partition.geometries)
    lons, lats = probe_points(partition, locator, seed)
    lons, lats = lons[:60], lats[:60]
    indices, metres = locator.snap_many(lons, lats, tolerance_m)
    for lon, lat, index, distance in zip(lons, lats, indices, metres, strict=True):
        location = locator.locate(lon, lat, snap_tolerance_m=tolerance_m)
        assert location.code == (locator.codes[index] if index >= 0 else None)
        assert location.distance_m == distance
        ranges = {
            code: naive_metres(geom, lon, lat)
            for code, geom in zip(partition.codes, partition.geometries, strict=True)
        }
        nearest = min(ranges.values(), default=np.inf)
        if nearest == 0:
            assert location.code == naive_code(partition, lon, lat)
        elif nearest <= tolerance_m * (1 - 1e-9):
            assert location.snapped
            assert location.code is not None
            assert ranges[location.code] == pytest.approx(nearest, rel=1e-9)
            assert location.distance_m == pytest.approx(nearest, rel=1e-9)
        elif nearest > tolerance_m * (1 + 1e-9):
            assert location.outside


@settings(max_examples=100, deadline=None)
@given(partitions(), st.sampled_from([1.0, 2.5, 7.0]))
def test_every_cell_a_boundary_passes_through_is_left_mixed(
    partition: Partition, cells_per_side: float
) -> None:
    locator = Locator(partition.codes, partition.geometries, cells_per_side=cells_per_side)
    if locator.raster is None:
        return
    origin, size = locator.raster.origin, locator.raster.cell_size
    for geom in partition.geometries:
        xy = edge_points_in_every_cell(geom, origin, size)
        assert locator.raster.is_mixed(xy[:, 0].copy(), xy[:, 1].copy()).all()


@pytest.mark.parametrize("cells_per_side", [2.5, 7.0])
def test_on_a_large_jittered_grid_every_cell_a_boundary_passes_through_is_left_mixed(
    cells_per_side: float,
) -> None:
    # Corner clips the raster might miss are rare; a big grid meets hundreds of them.
    rng = np.random.default_rng(2023)
    nodes = np.stack(np.meshgrid(np.arange(41.0), np.arange(31.0)), axis=-1)
    nodes[1:-1, 1:-1] += rng.uniform(-0.3, 0.3, (29, 39, 2))
    nodes = nodes * 0.004 + ORIGIN
    quads = [
        Polygon([nodes[r, c], nodes[r, c + 1], nodes[r + 1, c + 1], nodes[r + 1, c]])
        for r in range(30)
        for c in range(40)
    ]
    partition = Partition([f"{n:04d}" for n in range(len(quads))], list(quads), 0.004)
    locator = Locator(partition.codes, partition.geometries, cells_per_side=cells_per_side)
    assert locator.raster is not None
    origin, size = locator.raster.origin, locator.raster.cell_size
    xy = np.concatenate([edge_points_in_every_cell(q, origin, size) for q in quads])
    assert locator.raster.is_mixed(xy[:, 0].copy(), xy[:, 1].copy()).all()
    batch = locator.locate_many(xy[:, 0], xy[:, 1])
    for (lon, lat), index in zip(xy[::20].tolist(), batch[::20].tolist(), strict=True):
        assert locator.codes[index] == naive_code(partition, lon, lat)
