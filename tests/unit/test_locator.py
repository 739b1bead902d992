from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import LineString, MultiPolygon, Polygon, box

from civicgrid.adapters.spatial import Locator
from civicgrid.domain.areas.location import (
    METRES_PER_DEGREE,
    Location,
    metres_per_degree,
    metres_to_degrees,
)

LAT = 34.7  # Zhengzhou, where a degree of longitude is ~0.82 of one of latitude
DEG = 0.01


def cell(col: int, row: int) -> Polygon:
    """A DEG-sided square of a grid anchored at (113, LAT)."""
    x, y = 113 + col * DEG, LAT + row * DEG
    return box(x, y, x + DEG, y + DEG)


def two_by_two() -> Locator:
    """Four squares meeting at (113.01, LAT + 0.01), coded so the top right is smallest."""
    return Locator(
        ["04", "03", "02", "01"], [cell(0, 0), cell(1, 0), cell(0, 1), cell(1, 1)], version="v7"
    )


def test_a_point_inside_a_micro_grid_is_routed_to_it() -> None:
    assert two_by_two().locate(113.005, LAT + 0.005) == Location.inside("04")


def test_a_point_far_from_every_micro_grid_is_outside_the_jurisdiction() -> None:
    location = two_by_two().locate(114.0, LAT, snap_tolerance_m=500)
    assert location == Location.outside_jurisdiction()
    assert location.outside
    assert location.code is None


def test_without_a_tolerance_a_point_just_outside_is_not_snapped() -> None:
    assert two_by_two().locate(112.9999, LAT + 0.005).outside


def test_a_point_just_outside_snaps_to_the_nearest_micro_grid_and_reports_metres() -> None:
    gap = 0.0002
    location = two_by_two().locate(113 - gap, LAT + 0.005, snap_tolerance_m=50)
    per_lon, _ = metres_per_degree(LAT + 0.005)
    assert location.code == "04"
    assert location.snapped
    assert location.distance_m == pytest.approx(gap * per_lon, rel=1e-9)


def test_a_point_beyond_the_tolerance_is_not_snapped() -> None:
    gap_m = 0.0002 * metres_per_degree(LAT)[0]
    assert two_by_two().locate(113 - 0.0002, LAT + 0.005, snap_tolerance_m=gap_m * 0.99).outside


def test_snapping_picks_the_nearest_in_metres_not_in_degrees() -> None:
    # From (113, 34.7): "02" lies 0.0010 degrees east (~91 m), "01" 0.0009 north (~100 m).
    east = box(113.0010, 34.6, 113.1, 34.8)
    north = box(112.9, 34.7009, 113.0, 34.8)
    location = Locator(["01", "02"], [north, east]).locate(113.0, 34.7, snap_tolerance_m=200)
    assert location.code == "02"
    assert location.distance_m == pytest.approx(0.0010 * metres_per_degree(34.7)[0])


def test_a_point_equally_far_from_two_micro_grids_snaps_to_the_smaller_code() -> None:
    # Binary fractions, so both gaps are exactly 0.25 degrees.
    locator = Locator(["B", "A"], [box(0.0, 0.0, 1.0, 1.0), box(1.5, 0.0, 2.5, 1.0)])
    assert locator.locate(1.25, 0.5, snap_tolerance_m=40_000).code == "A"
    assert list(locator.snap_many([1.25], [0.5], 40_000)[0]) == [1]


def test_a_point_on_a_shared_edge_goes_to_the_smaller_code() -> None:
    locator = two_by_two()
    assert locator.locate(113.01, LAT + 0.005).code == "03"
    assert locator.locate(113.005, LAT + 0.01).code == "02"


def test_a_shared_vertex_of_four_micro_grids_goes_to_the_smallest_code() -> None:
    assert two_by_two().locate(113.01, LAT + 0.01) == Location.inside("01")


def test_a_point_in_a_hole_belongs_to_whatever_fills_the_hole() -> None:
    frame = box(0, 0, 3, 3).difference(box(1, 1, 2, 2))
    with_island = Locator(["frame", "island"], [frame, box(1, 1, 2, 2)])
    without = Locator(["frame"], [frame])
    assert with_island.locate(1.5, 1.5).code == "island"
    assert without.locate(1.5, 1.5).outside
    assert without.locate(1.0, 1.5).code == "frame"  # the hole's edge is the frame's boundary
    assert list(without.locate_many([1.5, 0.5], [1.5, 0.5])) == [-1, 0]


def test_every_part_of_a_multipolygon_routes_to_its_code() -> None:
    parts = MultiPolygon([box(0, 0, 1, 1), box(5, 5, 6, 6)])
    locator = Locator(["M", "Z"], [parts, box(2, 2, 3, 3)])
    assert locator.locate(0.5, 0.5).code == "M"
    assert locator.locate(5.5, 5.5).code == "M"
    assert locator.locate(3.5, 3.5).outside
    assert list(locator.locate_many([0.5, 5.5, 2.5, 3.5], [0.5, 5.5, 2.5, 3.5])) == [0, 0, 1, -1]


def test_locate_many_answers_with_indices_into_the_codes_as_given() -> None:
    locator = two_by_two()
    lons = [113.005, 113.015, 113.005, 113.015, 113.01, 112.0]
    lats = [LAT + 0.005, LAT + 0.005, LAT + 0.015, LAT + 0.015, LAT + 0.01, LAT]
    assert list(locator.locate_many(lons, lats)) == [0, 1, 2, 3, 3, -1]


def test_locate_many_sends_missing_and_infinite_coordinates_outside() -> None:
    lons = np.array([math.nan, math.inf, -math.inf, 113.005])
    lats = np.array([LAT, LAT + 0.005, math.nan, LAT + 0.005])
    assert list(two_by_two().locate_many(lons, lats)) == [-1, -1, -1, 0]
    assert two_by_two().locate(math.nan, LAT).outside


def test_snap_many_agrees_with_locate() -> None:
    locator = two_by_two()
    lons = np.array([113.005, 112.9998, 112.99, math.nan, 113.01])
    lats = np.array([LAT + 0.005, LAT + 0.005, LAT, LAT, LAT + 0.01])
    indices, metres = locator.snap_many(lons, lats, snap_tolerance_m=40)
    for lon, lat, index, distance in zip(lons, lats, indices, metres, strict=True):
        location = locator.locate(lon, lat, snap_tolerance_m=40)
        assert location.code == (None if index < 0 else locator.codes[index])
        assert location.distance_m == pytest.approx(distance)


def test_an_empty_locator_routes_every_point_outside() -> None:
    locator = Locator([], [], version="empty")
    assert len(locator) == 0
    assert locator.locate(113.0, LAT, snap_tolerance_m=1_000).outside
    assert list(locator.locate_many([113.0], [LAT])) == [-1]
    indices, metres = locator.snap_many([113.0], [LAT], snap_tolerance_m=1_000)
    assert list(indices) == [-1]
    assert list(metres) == [math.inf]


def test_the_locator_keeps_the_version_it_was_built_from() -> None:
    assert two_by_two().version == "v7"


@pytest.mark.parametrize(
    ("codes", "geometries"),
    [
        (["a", "a"], [box(0, 0, 1, 1), box(1, 0, 2, 1)]),
        (["a"], [box(0, 0, 1, 1), box(1, 0, 2, 1)]),
        (["a"], [LineString([(0, 0), (1, 1)])]),
        (["a"], [Polygon()]),
    ],
)
def test_the_locator_rejects_duplicate_codes_mismatched_lengths_and_non_polygons(
    codes: list[str], geometries: list[Polygon]
) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        Locator(codes, geometries)


@pytest.mark.parametrize("tolerance", [-1.0, math.nan, math.inf])
def test_a_snap_tolerance_must_be_finite_and_not_negative(tolerance: float) -> None:
    with pytest.raises(ValueError, match="snap tolerance"):
        two_by_two().locate(113.0, LAT, snap_tolerance_m=tolerance)


def test_locate_many_rejects_coordinates_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="equal length"):
        two_by_two().locate_many([113.0, 113.1], [LAT])


def test_a_location_cannot_be_both_outside_and_coded() -> None:
    with pytest.raises(ValueError, match="inconsistent"):
        Location(code="01", snapped=False, distance_m=math.inf, outside=True)
    with pytest.raises(ValueError, match="inconsistent"):
        Location(code="01", snapped=False, distance_m=3.0, outside=False)
    with pytest.raises(ValueError, match="inconsistent"):
        Location(code=None, snapped=True, distance_m=3.0, outside=False)


def test_a_degree_of_longitude_shrinks_with_the_cosine_of_latitude() -> None:
    assert metres_per_degree(0.0) == pytest.approx((METRES_PER_DEGREE, METRES_PER_DEGREE))
    assert metres_per_degree(60.0)[0] == pytest.approx(METRES_PER_DEGREE / 2)
    assert metres_to_degrees(METRES_PER_DEGREE, 60.0) == pytest.approx((2.0, 1.0))
    assert round(METRES_PER_DEGREE) == 111_195


def test_tiny_micro_grids_far_apart_are_still_found_with_a_coarser_raster() -> None:
    # At 7 cells per side the lattice would need ~10^15 cells; it is capped instead.
    locator = Locator(["near", "far"], [box(0, 0, 1e-5, 1e-5), box(100, 50, 100 + 1e-5, 50 + 1e-5)])
    assert locator.raster is not None
    rows, cols = locator.raster.shape
    assert rows * cols <= 1 << 26
    lons, lats = [5e-6, 100 + 5e-6, 50.0], [5e-6, 50 + 5e-6, 25.0]
    assert list(locator.locate_many(lons, lats)) == [0, 1, -1]
