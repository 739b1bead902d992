"""Split polygons into parts whose areas follow given weights.

Each parent is cut recursively by axis-parallel lines. At every cut the weights of
the node are split into two groups of about equal sum, and the line is placed so the
area on its lower side matches the lower group's share. Both sides are clipped at
the same coordinate, so the parts tile the parent.

The area on one side of a line is computed from the ring edges directly (the closing
segment along the line adds nothing to ∮ v du), which lets one bisection run for
every node of a round in a few numpy operations instead of thousands of clips.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias, cast

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import MultiPolygon, Polygon

Part: TypeAlias = Polygon | MultiPolygon
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]

_BISECTION_STEPS = 64
# A piece whose area matches its bounding box this closely is cut as a box.
_BOX_TOLERANCE = 1e-12


def partition_polygon(
    polygon: Part, weights: Sequence[float], seed: int, *, x_scale: float = 1.0
) -> list[Part]:
    """Split `polygon` into `len(weights)` parts with areas proportional to `weights`.

    The seed decides only how the weights are ordered and grouped. `x_scale` is how
    long one unit of x is in units of y (cos(latitude) for lon/lat); it steers which
    side of a piece counts as the longer one, never the areas.
    """
    return partition_polygons([polygon], [weights], seed, x_scale=x_scale)[0]


def partition_polygons(
    polygons: Sequence[Part],
    weights: Sequence[Sequence[float]],
    seed: int,
    *,
    x_scale: float = 1.0,
) -> list[list[Part]]:
    """Partition many parents at once; `weights[i]` belongs to `polygons[i]`.

    The cuts are those `partition_polygon` makes, but every round is vectorised over
    all parents, which is what makes tens of thousands of parts cheap. One random
    stream orders the weights of all parents in turn, so a parent's parts depend on
    its place in the batch as well as on the seed.
    """
    if len(polygons) != len(weights):
        raise ValueError("polygons and weights differ in length")
    if not x_scale > 0:
        raise ValueError("x_scale must be positive")
    if len(polygons) == 0:
        return []
    counts = np.array([len(w) for w in weights], dtype=np.intp)
    if np.any(counts == 0):
        raise ValueError("every polygon needs at least one weight")
    flat = np.fromiter((float(x) for w in weights for x in w), dtype=np.float64)
    if not np.all(np.isfinite(flat) & (flat > 0)):
        raise ValueError("weights must be positive and finite")
    parents = np.array(polygons, dtype=object)
    # Area on one side of a line means nothing for a ring that crosses itself.
    if not np.all(shapely.is_valid(parents) & (shapely.area(parents) > 0)):
        raise ValueError("every polygon must be valid and have an area")

    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    # Normalising per parent keeps the shared cumulative sum well conditioned.
    flat = flat / np.bincount(owner, flat)[owner]
    order = np.lexsort((np.random.default_rng(seed).random(flat.size), owner))
    cumulative = np.concatenate(([0.0], np.cumsum(flat[order])))

    out = np.empty(flat.size, dtype=object)
    pieces, lo, hi = parents, starts, starts + counts
    while pieces.size:
        done = hi - lo == 1
        out[order[lo[done]]] = pieces[done]
        pieces, lo, hi = pieces[~done], lo[~done], hi[~done]
        if not pieces.size:
            break
        mid = _split_points(cumulative, lo, hi)
        share = (cumulative[mid] - cumulative[lo]) / (cumulative[hi] - cumulative[lo])
        lower, upper = _cut(pieces, share, x_scale)
        pieces = np.concatenate((lower, upper))
        lo, hi = np.concatenate((lo, mid)), np.concatenate((mid, hi))

    parts = [_as_part(geom) for geom in out]
    return [parts[start : start + n] for start, n in zip(starts, counts, strict=True)]


def _split_points(cumulative: FloatArray, lo: IntArray, hi: IntArray) -> IntArray:
    """For each node, the index that splits its weights into halves of nearest sum."""
    half = (cumulative[lo] + cumulative[hi]) / 2
    above = np.searchsorted(cumulative, half)
    below = above - 1
    nearer = np.where(
        np.abs(cumulative[below] - half) <= np.abs(cumulative[above] - half), below, above
    )
    return np.clip(nearer, lo + 1, hi - 1).astype(np.intp)


def _cut(pieces: ObjectArray, share: FloatArray, x_scale: float) -> tuple[ObjectArray, ObjectArray]:
    """Cut each piece so `share` of its area lies below (or left of) the line.

    The line crosses the longer side. Where that leaves a side in several pieces,
    the other direction is tried and kept if it splits less.
    """
    bounds = shapely.bounds(pieces)
    width, height = bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]
    along_y = height > width * x_scale
    lower, upper = _cut_along(pieces, share, along_y, bounds)
    scattered = _pieces_after(lower, upper) > shapely.get_num_geometries(pieces) + 1
    retry = np.flatnonzero(scattered)
    if retry.size:
        lower2, upper2 = _cut_along(pieces[retry], share[retry], ~along_y[retry], bounds[retry])
        better = _pieces_after(lower2, upper2) < _pieces_after(lower[retry], upper[retry])
        lower[retry[better]], upper[retry[better]] = lower2[better], upper2[better]
    return lower, upper


def _pieces_after(lower: ObjectArray, upper: ObjectArray) -> IntArray:
    counts: IntArray = shapely.get_num_geometries(lower) + shapely.get_num_geometries(upper)
    return counts


def _cut_along(
    pieces: ObjectArray, share: FloatArray, along_y: BoolArray, bounds: FloatArray
) -> tuple[ObjectArray, ObjectArray]:
    xmin, ymin, xmax, ymax = bounds.T
    low = np.where(along_y, ymin, xmin)
    high = np.where(along_y, ymax, xmax)
    position = low + share * (high - low)
    is_box = np.abs(shapely.area(pieces) / ((xmax - xmin) * (ymax - ymin)) - 1) < _BOX_TOLERANCE
    bent = np.flatnonzero(~is_box)
    if bent.size:
        floor = np.where(along_y, xmin, ymin)
        position[bent] = _bisect(
            pieces[bent], along_y[bent], share[bent], low[bent], high[bent], floor[bent]
        )

    lower = np.empty(pieces.size, dtype=object)
    upper = np.empty(pieces.size, dtype=object)
    # Boxes are rebuilt from their bounds: exact, and far cheaper than clipping.
    box = np.flatnonzero(is_box)
    flip, at = along_y[box], position[box]
    x0, y0, x1, y1 = xmin[box], ymin[box], xmax[box], ymax[box]
    lower[box] = shapely.box(x0, y0, np.where(flip, x1, at), np.where(flip, at, y1))
    upper[box] = shapely.box(np.where(flip, x0, at), np.where(flip, at, y0), x1, y1)
    # clip_by_rect takes scalar bounds only, yet looping over it beats one vectorised
    # intersection with boxes about tenfold. The margin keeps the far sides clear.
    margin = np.maximum(xmax - xmin, ymax - ymin)
    for i in bent:
        a, b = xmin[i] - margin[i], ymin[i] - margin[i]
        c, d = xmax[i] + margin[i], ymax[i] + margin[i]
        piece, at_i = pieces[i], position[i]
        if along_y[i]:
            lower[i] = shapely.clip_by_rect(piece, a, b, c, at_i)
            upper[i] = shapely.clip_by_rect(piece, a, at_i, c, d)
        else:
            lower[i] = shapely.clip_by_rect(piece, a, b, at_i, d)
            upper[i] = shapely.clip_by_rect(piece, at_i, b, c, d)
    return lower, upper


def _bisect(
    pieces: ObjectArray,
    along_y: BoolArray,
    share: FloatArray,
    low: FloatArray,
    high: FloatArray,
    floor: FloatArray,
) -> FloatArray:
    """Line positions where the area below reaches `share`, for all pieces at once.

    Coordinates are renamed (u along the cut axis, v across it) so one formula serves
    both axes; `low`..`high` is each piece's extent in u and `floor` its minimum v.
    """
    parts, part_piece = shapely.get_parts(pieces, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    start = np.flatnonzero(coord_ring[:-1] == coord_ring[1:])
    edge_ring = coord_ring[start]
    ring_piece = part_piece[ring_part]
    edge_piece = ring_piece[edge_ring]

    flip = along_y[edge_piece]
    u1 = np.where(flip, coords[start, 1], coords[start, 0])
    u2 = np.where(flip, coords[start + 1, 1], coords[start + 1, 0])
    v1 = np.where(flip, coords[start, 0], coords[start, 1])
    v2 = np.where(flip, coords[start + 1, 0], coords[start + 1, 1])
    # Measuring v from the piece's own edge avoids cancellation on small pieces.
    v1, v2 = v1 - floor[edge_piece], v2 - floor[edge_piece]

    # Signed area of each ring in the (u, v) frame, then a sign per edge that makes
    # exteriors count positive and holes negative whatever their orientation.
    ring_area = np.bincount(edge_ring, -(u2 - u1) * (v1 + v2) / 2, minlength=rings.size)
    exterior = np.concatenate(([True], ring_part[1:] != ring_part[:-1]))
    ring_sign = np.sign(ring_area) * np.where(exterior, 1.0, -1.0)
    forward = u2 >= u1
    a, b = np.where(forward, u1, u2), np.where(forward, u2, u1)
    va, vb = np.where(forward, v1, v2), np.where(forward, v2, v1)
    sign = -np.sign(u2 - u1) * ring_sign[edge_ring]
    span = b - a
    slope = np.divide(vb - va, span, out=np.zeros_like(span), where=span > 0)

    def area_below(t: FloatArray) -> FloatArray:
        c = np.clip(t[edge_piece], a, b)
        reach = c - a
        strip = sign * reach * (va + va + slope * reach) / 2
        # numpy's stubs type bincount as integer even when it sums float weights.
        return cast(FloatArray, np.bincount(edge_piece, strip, minlength=pieces.size))

    target = share * area_below(high)
    lo, hi = low.copy(), high.copy()
    for _ in range(_BISECTION_STEPS):
        mid = (lo + hi) / 2
        below = area_below(mid) < target
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
        if np.all(hi - lo <= np.spacing(np.maximum(np.abs(lo), np.abs(hi))) * 2):
            break
    cut: FloatArray = (lo + hi) / 2
    return cut


def _as_part(geom: object) -> Part:
    """Clipping can return a collection; keep its polygons only."""
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    polygons = [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and not g.is_empty]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
