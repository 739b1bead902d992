"""Geometric consistency of the hierarchy: children inside parents, siblings apart.

Tolerances are fractions of the child's area, so they mean the same thing for a
district and for a micro-grid. Both checks are vectorised with shapely because an
import can touch tens of thousands of polygons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

DEFAULT_OUTSIDE_TOLERANCE = 0.005
DEFAULT_OVERLAP_TOLERANCE = 0.005


@dataclass(frozen=True, slots=True)
class GeometryProblem:
    code: str
    other_code: str
    message: str


def find_children_outside_parents(
    children: Sequence[tuple[str, BaseGeometry]],
    parents: Sequence[tuple[str, BaseGeometry]],
    tolerance: float = DEFAULT_OUTSIDE_TOLERANCE,
) -> list[GeometryProblem]:
    """Children with more than `tolerance` of their area outside their parent.

    `children[i]` belongs to `parents[i]`.
    """
    if not children:
        return []
    child_geoms = np.array([geom for _, geom in children], dtype=object)
    parent_geoms = np.array([geom for _, geom in parents], dtype=object)
    shapely.prepare(parent_geoms)
    suspects = np.flatnonzero(~shapely.covers(parent_geoms, child_geoms))
    if suspects.size == 0:
        return []
    outside = shapely.area(shapely.difference(child_geoms[suspects], parent_geoms[suspects]))
    share = outside / np.maximum(shapely.area(child_geoms[suspects]), 1e-18)
    return [
        GeometryProblem(
            code=children[i][0],
            other_code=parents[i][0],
            message=(
                f"area {children[i][0]} lies {share[k]:.1%} outside its parent "
                f"{parents[i][0]} (tolerance {tolerance:.1%})"
            ),
        )
        for k, i in enumerate(suspects.tolist())
        if share[k] > tolerance
    ]


def find_overlapping_siblings(
    siblings: Sequence[tuple[str, BaseGeometry]],
    tolerance: float = DEFAULT_OVERLAP_TOLERANCE,
) -> list[GeometryProblem]:
    """Pairs of siblings whose overlap exceeds `tolerance` of the smaller one's area."""
    if len(siblings) < 2:
        return []
    geoms = np.array([geom for _, geom in siblings], dtype=object)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if left.size == 0:
        return []
    # Neighbours share edges; only a positive-area intersection matters.
    touching = shapely.touches(geoms[left], geoms[right])
    left, right = left[~touching], right[~touching]
    if left.size == 0:
        return []
    overlap = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    smaller = np.minimum(shapely.area(geoms[left]), shapely.area(geoms[right]))
    share = overlap / np.maximum(smaller, 1e-18)
    return [
        GeometryProblem(
            code=siblings[a][0],
            other_code=siblings[b][0],
            message=(
                f"areas {siblings[a][0]} and {siblings[b][0]} overlap by {share[k]:.1%} "
                f"of the smaller one (tolerance {tolerance:.1%})"
            ),
        )
        for k, (a, b) in enumerate(zip(left.tolist(), right.tolist(), strict=True))
        if share[k] > tolerance
    ]
