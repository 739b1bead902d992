from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from importlib.resources import files

import pytest
from shapely.geometry.base import BaseGeometry

from civicgrid.adapters.demo_zhengzhou import DISTRICT_SOURCE, STAGES, build_demo_areas
from civicgrid.domain.areas import Area, Level, validate_code
from civicgrid.domain.areas.geometry_rules import (
    find_children_outside_parents,
    find_overlapping_siblings,
)

pytestmark = pytest.mark.slow

SEED = 2023
DATA = files("civicgrid") / "data" / "zhengzhou"
FUNCTIONAL_ZONES = ("410171", "410172", "410173")


@dataclass(frozen=True)
class Demo:
    areas: list[Area]
    progress: list[tuple[str, int, int]]

    def at(self, level: Level) -> list[Area]:
        return [a for a in self.areas if a.level is level]


@pytest.fixture(scope="module")
def demo() -> Demo:
    calls: list[tuple[str, int, int]] = []
    areas = build_demo_areas(SEED, progress=lambda *call: calls.append(call))
    return Demo(areas, calls)


def _outline(area: Area) -> BaseGeometry:
    assert area.geometry is not None
    return area.geometry


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((DATA / name).read_text(encoding="utf-8").splitlines()))


def _statistical_codes(level: str) -> set[str]:
    return {
        r["code"]
        for r in _rows("divisions_nbs2023.csv")
        if r["level"] == level and not r["code"].startswith(FUNCTIONAL_ZONES)
    }


def test_the_city_is_410100_with_its_real_outline(demo: Demo) -> None:
    [city] = demo.at(Level.CITY)

    assert (city.code, city.name_zh, city.name_en) == ("410100", "郑州市", "Zhengzhou City")
    assert city.parent_code is None
    assert not city.synthetic
    assert city.source == DISTRICT_SOURCE


def test_the_twelve_county_level_units_are_real_and_the_functional_zones_are_left_out(
    demo: Demo,
) -> None:
    districts = demo.at(Level.DISTRICT)

    assert {d.code for d in districts} == _statistical_codes("3")
    assert len(districts) == 12
    assert all(not d.synthetic and d.source == DISTRICT_SOURCE for d in districts)
    assert not any(a.code.startswith(FUNCTIONAL_ZONES) for a in demo.areas)


def test_streets_and_communities_are_those_of_the_statistical_list(demo: Demo) -> None:
    assert {s.code for s in demo.at(Level.STREET)} == _statistical_codes("4")
    assert {c.code for c in demo.at(Level.COMMUNITY)} == _statistical_codes("5")


def test_the_city_has_about_7900_grids_and_47000_micro_grids(demo: Demo) -> None:
    assert len(demo.at(Level.GRID)) == pytest.approx(7_900, rel=0.10)
    assert len(demo.at(Level.MICRO_GRID)) == pytest.approx(47_000, rel=0.10)


def test_urban_communities_have_more_grids_than_villages(demo: Demo) -> None:
    grids: dict[str, int] = defaultdict(int)
    for grid in demo.at(Level.GRID):
        grids[grid.parent_code or ""] += 1
    village: list[int] = []
    urban: list[int] = []
    for community in demo.at(Level.COMMUNITY):
        is_village = community.name_zh.endswith(("村委会", "村民委员会", "村"))
        (village if is_village else urban).append(grids[community.code])

    assert min(village + urban) >= 1
    assert sum(urban) / len(urban) > sum(village) / len(village)


def test_grids_hold_300_to_500_households_and_micro_grids_50_to_70(demo: Demo) -> None:
    micro_total: dict[str, int] = defaultdict(int)
    for micro in demo.at(Level.MICRO_GRID):
        assert micro.households is not None
        assert 50 <= micro.households <= 70
        micro_total[micro.parent_code or ""] += micro.households
    for grid in demo.at(Level.GRID):
        assert grid.households is not None
        assert 300 <= grid.households <= 500
        assert micro_total[grid.code] == grid.households


def test_every_code_is_valid_against_its_parent_and_parents_come_first(demo: Demo) -> None:
    seen: set[str] = set()
    for area in demo.areas:
        assert validate_code(area.code, area.parent_code) is area.level
        assert area.parent_code is None or area.parent_code in seen
        seen.add(area.code)
    assert len(seen) == len(demo.areas)


def test_everything_below_the_districts_is_labelled_synthetic(demo: Demo) -> None:
    below = [a for a in demo.areas if a.level > Level.DISTRICT]

    assert all(a.synthetic for a in below)
    assert {a.source for a in below} == {f"synthetic (civicgrid demo, seed {SEED})"}


def test_streets_whose_code_changed_by_2025_carry_the_new_code_as_an_alias(demo: Demo) -> None:
    changes = {
        r["nbs2023_code"]: r["mca2025_code"]
        for r in _rows("township_nbs2023_vs_mca2025.csv")
        if r["status"] == "code_differs"
    }
    streets = demo.at(Level.STREET)

    assert {s.code: s.aliases for s in streets if s.aliases} == {
        code: (new,) for code, new in changes.items()
    }


def test_streets_found_only_in_the_2025_list_are_not_added(demo: Demo) -> None:
    named = {(s.parent_code, s.name_zh) for s in demo.at(Level.STREET)}
    only_2025 = [
        (r["county_code_in_source"], r["name"])
        for r in _rows("township_nbs2023_vs_mca2025.csv")
        if r["status"] == "mca_only"
    ]

    assert only_2025
    assert not named.intersection(only_2025)


def test_grids_and_micro_grids_are_named_after_their_parents(demo: Demo) -> None:
    by_code = {a.code: a for a in demo.areas}
    for area in demo.at(Level.GRID)[:500] + demo.at(Level.MICRO_GRID)[:500]:
        parent = by_code[area.parent_code or ""]
        n = int(area.code[len(parent.code) :])
        word = "Grid" if area.level is Level.GRID else "Micro-grid"
        assert area.name_en == f"{parent.name_en} {word} {n}"
        assert area.name_zh.endswith(f"第{n}网格" if word == "Grid" else f"{n}号微网格")


def test_children_lie_within_their_parents(demo: Demo) -> None:
    by_code = {a.code: a for a in demo.areas}
    children = [a for a in demo.areas if a.parent_code is not None]
    pairs = [(c.parent_code or "", by_code[c.parent_code or ""].geometry) for c in children]

    assert find_children_outside_parents([(c.code, c.geometry) for c in children], pairs) == []


@pytest.mark.parametrize("level", list(Level)[1:])
def test_no_two_areas_of_one_level_overlap(demo: Demo, level: Level) -> None:
    # Across the whole city, which is stricter than among siblings only.
    assert find_overlapping_siblings([(a.code, a.geometry) for a in demo.at(level)]) == []


def test_the_children_of_each_area_cover_it_exactly(demo: Demo) -> None:
    covered: dict[str, float] = defaultdict(float)
    for area in demo.areas:
        if area.parent_code is not None:
            covered[area.parent_code] += _outline(area).area
    for area in demo.areas:
        if area.level is not Level.MICRO_GRID:
            assert math.isclose(covered[area.code], _outline(area).area, rel_tol=1e-9)


def test_every_outline_is_a_valid_polygon(demo: Demo) -> None:
    outlines = [_outline(a) for a in demo.areas]

    assert all(o.is_valid and o.area > 0 for o in outlines)
    assert {o.geom_type for o in outlines} <= {"Polygon", "MultiPolygon"}


def test_progress_is_reported_once_per_stage_in_order(demo: Demo) -> None:
    job = "building the demo city"
    assert demo.progress == [(job, i, len(STAGES)) for i in range(1, len(STAGES) + 1)]


def test_the_same_seed_builds_the_same_hierarchy(demo: Demo) -> None:
    again = build_demo_areas(SEED)

    assert [a.code for a in again] == [a.code for a in demo.areas]
    assert [a.households for a in again] == [a.households for a in demo.areas]
    pairs = zip(again, demo.areas, strict=True)
    assert all(_outline(a).equals_exact(_outline(b), 0) for a, b in pairs)
