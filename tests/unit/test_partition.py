from __future__ import annotations

import math
from itertools import combinations

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, box

from civicgrid.domain.areas.partition import Part, partition_polygon, partition_polygons


@st.composite
def star_polygons(draw: st.DrawFn) -> Polygon:
    """Simple, often concave polygons: vertices at rising angles around a centre.

    No gap between angles reaches half a turn, which keeps the ring simple.
    """
    gaps = draw(st.lists(st.floats(0.6, 1.0), min_size=3, max_size=16))
    radii = draw(st.lists(st.floats(0.2, 1.0), min_size=len(gaps), max_size=len(gaps)))
    scale = draw(st.floats(0.01, 100.0))
    cx, cy = draw(st.floats(-200.0, 200.0)), draw(st.floats(-200.0, 200.0))
    total, angle, ring = sum(gaps), 0.0, []
    for gap, radius in zip(gaps, radii, strict=True):
        angle += 2 * math.pi * gap / total
        ring.append((cx + scale * radius * math.cos(angle), cy + scale * radius * math.sin(angle)))
    return Polygon(ring)


def _framed(polygon: Polygon) -> Polygon:
    """A square frame: a polygon with a hole."""
    x0, y0, x1, y1 = polygon.bounds
    side = max(x1 - x0, y1 - y0)
    return box(x0 - side, y0 - side, x1 + side, y1 + side).difference(polygon)


def _islands(polygon: Polygon) -> MultiPolygon:
    x0, _, x1, _ = polygon.bounds
    return MultiPolygon([polygon, translate(polygon, xoff=3 * (x1 - x0))])


parents = st.one_of(star_polygons(), star_polygons().map(_framed), star_polygons().map(_islands))
weight_lists = st.lists(st.floats(0.05, 20.0), min_size=1, max_size=12)
seeds = st.integers(0, 2**32 - 1)


@settings(deadline=None)
@given(parents, weight_lists, seeds)
def test_parts_tile_the_parent_with_no_overlap(
    parent: Part, weights: list[float], seed: int
) -> None:
    parts = partition_polygon(parent, weights, seed)

    assert len(parts) == len(weights)
    assert math.isclose(sum(p.area for p in parts), parent.area, rel_tol=1e-9)
    for a, b in combinations(parts, 2):
        assert a.intersection(b).area <= 1e-9 * parent.area
    assert shapely.union_all(parts).symmetric_difference(parent).area <= 1e-9 * parent.area


@settings(deadline=None)
@given(parents, weight_lists, seeds)
def test_part_areas_follow_the_weights(parent: Part, weights: list[float], seed: int) -> None:
    parts = partition_polygon(parent, weights, seed)

    for part, weight in zip(parts, weights, strict=True):
        assert math.isclose(part.area / parent.area, weight / sum(weights), rel_tol=1e-6)


@settings(deadline=None)
@given(parents, weight_lists, seeds)
def test_parts_are_valid_polygons(parent: Part, weights: list[float], seed: int) -> None:
    for part in partition_polygon(parent, weights, seed):
        assert isinstance(part, Polygon | MultiPolygon)
        assert part.is_valid
        assert not part.is_empty


@settings(deadline=None, max_examples=30)
@given(parents, weight_lists, seeds)
def test_the_same_seed_gives_the_same_parts(parent: Part, weights: list[float], seed: int) -> None:
    first = partition_polygon(parent, weights, seed)
    again = partition_polygon(parent, weights, seed)

    assert [p.wkb for p in first] == [p.wkb for p in again]


@settings(deadline=None, max_examples=30)
@given(st.lists(st.tuples(parents, weight_lists), min_size=1, max_size=6), seeds)
def test_a_batch_tiles_every_parent_by_its_own_weights(
    jobs: list[tuple[Part, list[float]]], seed: int
) -> None:
    batches = partition_polygons([p for p, _ in jobs], [w for _, w in jobs], seed)

    for (parent, weights), parts in zip(jobs, batches, strict=True):
        assert math.isclose(sum(p.area for p in parts), parent.area, rel_tol=1e-9)
        for part, weight in zip(parts, weights, strict=True):
            assert math.isclose(part.area / parent.area, weight / sum(weights), rel_tol=1e-6)


def test_a_single_weight_returns_the_parent_itself() -> None:
    square = box(0, 0, 2, 2)

    assert partition_polygon(square, [7.0], seed=1) == [square]


def test_equal_weights_on_a_square_give_equal_boxes() -> None:
    parts = partition_polygon(box(0, 0, 1, 1), [1.0] * 4, seed=3)

    assert sorted(round(p.area, 12) for p in parts) == [0.25] * 4
    assert all(math.isclose(p.area, p.envelope.area) for p in parts)


def test_a_tall_u_shape_is_cut_so_that_each_half_stays_in_one_piece() -> None:
    # A cut across the longer (vertical) side would leave the two arms apart.
    u_shape = Polygon([(0, 0), (1, 0), (1, 3), (0.7, 3), (0.7, 0.3), (0.3, 0.3), (0.3, 3), (0, 3)])

    parts = partition_polygon(u_shape, [1.0, 1.0], seed=0)

    assert [type(p) for p in parts] == [Polygon, Polygon]


def test_x_scale_changes_the_direction_of_the_cut_but_not_the_areas() -> None:
    # With x counted at half its length a unit square is tall, so it is cut across y.
    parts = partition_polygon(box(0, 0, 1, 1), [1.0, 3.0], seed=0, x_scale=0.5)

    assert [p.bounds[2] - p.bounds[0] for p in parts] == [1.0, 1.0]
    assert [p.area for p in parts] == pytest.approx([0.25, 0.75])


def test_an_empty_batch_gives_no_parts() -> None:
    assert partition_polygons([], [], seed=0) == []


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([], "at least one weight"),
        ([1.0, 0.0], "positive and finite"),
        ([1.0, -2.0], "positive and finite"),
        ([1.0, math.inf], "positive and finite"),
        ([math.nan], "positive and finite"),
    ],
)
def test_weights_that_cannot_be_areas_are_rejected(weights: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        partition_polygon(box(0, 0, 1, 1), weights, seed=0)


def test_a_parent_without_area_is_rejected() -> None:
    flat = Polygon([(0, 0), (1, 0), (2, 0)])

    with pytest.raises(ValueError, match="valid and have an area"):
        partition_polygon(flat, [1.0, 1.0], seed=0)


def test_a_self_intersecting_parent_is_rejected() -> None:
    bow_tie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])

    with pytest.raises(ValueError, match="valid and have an area"):
        partition_polygon(bow_tie, [1.0, 1.0], seed=0)


def test_polygons_and_weights_of_different_lengths_are_rejected() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        partition_polygons([box(0, 0, 1, 1)], [[1.0], [1.0]], seed=0)
