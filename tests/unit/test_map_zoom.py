"""The staff map's per-zoom rules: which level is drawn, how much outlines are simplified
and rounded, and how long a path is at each level."""

from __future__ import annotations

import shapely
from shapely.geometry import Point

from civicgrid.domain.areas import Level
from civicgrid.services.map_layers import (
    grid_for_zoom,
    level_for_zoom,
    simplify_for_zoom,
    tolerance_for_zoom,
)
from civicgrid.services.map_markers import path_length


def test_the_level_drawn_deepens_as_the_map_zooms_in() -> None:
    drawn = [level_for_zoom(z) for z in range(8, 17)]
    assert drawn[0] is Level.DISTRICT
    assert drawn[-1] is Level.MICRO_GRID
    assert drawn == sorted(drawn)
    assert set(drawn) == set(Level) - {Level.CITY}


def test_the_tolerance_is_half_a_pixel_and_halves_with_each_zoom() -> None:
    assert tolerance_for_zoom(0) == 360 / 256 / 2
    assert tolerance_for_zoom(10) == tolerance_for_zoom(9) / 2
    assert grid_for_zoom(9) == 1e-4  # 0.7 mm on a screen at zoom 9 is 0.04 pixel
    assert grid_for_zoom(20) == 1e-6  # never finer than a decimetre


def test_an_outline_keeps_fewer_vertices_at_lower_zoom() -> None:
    circle = Point(113.6, 34.7).buffer(0.2, quad_segs=256)  # 1,025 vertices
    counts = [
        int(shapely.get_num_coordinates(simplify_for_zoom([circle], zoom)[0]))
        for zoom in (6, 9, 12, 15)
    ]
    assert counts == sorted(counts)
    assert counts[0] < 40 < counts[-1]
    assert all(shapely.is_valid(g) for g in simplify_for_zoom([circle], 6))


def test_a_path_has_the_same_length_at_each_level() -> None:
    assert path_length(Level.CITY) == len("/410100/")
    assert path_length(Level.DISTRICT) == len("/410100/410105/")
    micro = "/410100/410105/410105001/410105001003/410105001003001/41010500100300101/"
    assert path_length(Level.MICRO_GRID) == len(micro)
