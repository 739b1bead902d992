"""Point → micro-grid routing: build time, batch throughput, single-lookup latency.

Run: .venv/bin/python bench/routing.py [--points 1000000] [--repeat 5] [--check]

Uses the full Zhengzhou demo when `civicgrid.adapters.demo_zhengzhou` is importable,
else a synthetic jittered grid of about 47,000 quads over the same bounding box.
Baselines run in the same process on the same polygons: plain STRtree.query with
points, and a naive test of every polygon for a small sample of points.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from civicgrid.adapters.spatial import Locator

BBOX = (112.7, 34.25, 114.25, 34.98)  # Zhengzhou, lon/lat
MIN_POINTS_PER_SECOND = 500_000
MAX_SINGLE_MEDIAN_US = 50.0


def load_polygons(synthetic: bool) -> tuple[str, list[str], list[BaseGeometry]]:
    if not synthetic:
        try:
            from civicgrid.adapters.demo_zhengzhou import build_demo_areas
            from civicgrid.domain.areas import Level
        except ImportError:
            pass
        else:
            areas = [a for a in build_demo_areas(seed=2023) if a.level is Level.MICRO_GRID]
            geoms = [a.geometry for a in areas if a.geometry is not None]
            codes = [a.code for a in areas if a.geometry is not None]
            return "Zhengzhou demo (build_demo_areas, seed 2023)", codes, geoms
    codes, geoms = jittered_grid(cols=287, rows=164, seed=2023)
    return "synthetic jittered grid (demo not importable or --synthetic)", codes, geoms


def jittered_grid(cols: int, rows: int, seed: int) -> tuple[list[str], list[BaseGeometry]]:
    """Quads over BBOX whose inner corners move up to 30 % of a side."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = BBOX
    nodes = np.stack(np.meshgrid(np.linspace(x0, x1, cols + 1), np.linspace(y0, y1, rows + 1)), -1)
    side = np.array([(x1 - x0) / cols, (y1 - y0) / rows])
    nodes[1:-1, 1:-1] += rng.uniform(-0.3, 0.3, (rows - 1, cols - 1, 2)) * side
    r, c = (a.ravel() for a in np.mgrid[0:rows, 0:cols])
    rings = np.stack([nodes[r, c], nodes[r, c + 1], nodes[r + 1, c + 1], nodes[r + 1, c]], 1)
    geoms = list(shapely.polygons(rings))
    return [f"{i:017d}" for i in rng.permutation(len(geoms))], geoms


def timed(run: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def single_latencies(
    locator: Locator, lons: npt.NDArray[np.float64], lats: npt.NDArray[np.float64]
) -> list[float]:
    times = []
    for lon, lat in zip(lons.tolist(), lats.tolist(), strict=True):
        start = time.perf_counter_ns()
        locator.locate(lon, lat)
        times.append((time.perf_counter_ns() - start) / 1e3)
    return times


def naive_seconds_per_point(
    geoms: npt.NDArray[np.object_], lons: npt.NDArray[np.float64], lats: npt.NDArray[np.float64]
) -> float:
    """Every polygon tested against every point (in one C loop per point); no index."""
    start = time.perf_counter()
    for lon, lat in zip(lons.tolist(), lats.tolist(), strict=True):
        np.flatnonzero(shapely.intersects(geoms, shapely.Point(lon, lat)))
    return (time.perf_counter() - start) / len(lons)


def smallest_code_per_point(
    pairs: npt.NDArray[np.intp], codes: list[str], points: int
) -> npt.NDArray[np.intp]:
    """The tree's (point, polygon) pairs reduced to the smallest code per point, or -1."""
    point, polygon = pairs
    by_code = {code: rank for rank, code in enumerate(sorted(codes))}
    rank = np.array([by_code[code] for code in codes])
    order = np.lexsort((rank[polygon], point))
    point, polygon = point[order], polygon[order]
    first = np.ones(point.size, dtype=np.bool_)
    first[1:] = point[1:] != point[:-1]
    answer = np.full(points, -1, dtype=np.intp)
    answer[point[first]] = polygon[first]
    return answer


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--points", type=int, default=1_000_000, help="batch size for locate_many")
    parser.add_argument("--repeat", type=int, default=5, help="repeats of each timed batch")
    parser.add_argument("--builds", type=int, default=3, help="times the Locator is built")
    parser.add_argument("--single", type=int, default=20_000, help="single lookups timed")
    parser.add_argument("--naive-points", type=int, default=2_000, help="sample for the naive loop")
    parser.add_argument("--cells-per-side", type=float, default=7.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--synthetic", action="store_true", help="skip the demo data")
    parser.add_argument("--check", action="store_true", help="fail unless the targets are met")
    args = parser.parse_args()

    source, codes, geoms = load_polygons(args.synthetic)
    print(f"polygons: {len(geoms):,} from {source}")
    build_times = timed(
        lambda: Locator(codes, geoms, cells_per_side=args.cells_per_side), args.builds
    )
    locator = Locator(codes, geoms, cells_per_side=args.cells_per_side)
    assert locator.raster is not None
    rows, cols = locator.raster.shape
    print(f"raster: {rows:,} x {cols:,} cells, {locator.raster.mixed_share:.1%} mixed")

    rng = np.random.default_rng(args.seed)
    lons = rng.uniform(BBOX[0], BBOX[2], args.points)
    lats = rng.uniform(BBOX[1], BBOX[3], args.points)
    batch = timed(lambda: locator.locate_many(lons, lats), args.repeat)
    single = single_latencies(locator, lons[: args.single], lats[: args.single])

    tree_geoms = np.array(geoms, dtype=object)
    tree = shapely.STRtree(tree_geoms)
    found: list[npt.NDArray[np.intp]] = []
    tree_times = timed(
        lambda: found.append(tree.query(shapely.points(lons, lats), predicate="intersects")),
        max(1, min(args.repeat, 3)),
    )
    naive = naive_seconds_per_point(
        tree_geoms, lons[: args.naive_points], lats[: args.naive_points]
    )

    expected = smallest_code_per_point(found[-1], codes, args.points)
    mismatches = int(np.count_nonzero(expected != locator.locate_many(lons, lats)))

    batch_s, tree_s = statistics.median(batch), statistics.median(tree_times)
    per_point = {
        f"locate_many ({args.points:,} points)": batch_s / args.points,
        "STRtree.query with points": tree_s / args.points,
        f"naive: every polygon ({args.naive_points:,} points)": naive,
    }
    print(f"\n{'':42} {'points/s':>12} {'µs/point':>10} {'vs naive':>10}")
    for name, seconds in per_point.items():
        print(f"{name:42} {1 / seconds:12,.0f} {seconds * 1e6:10.3f} {naive / seconds:9,.0f}x")
    single_median = statistics.median(single)
    print(
        f"\nlocate, single lookup: median {single_median:.1f} µs, "
        f"p99 {np.percentile(single, 99):.1f} µs over {len(single):,} points"
    )
    print(f"Locator build: median {statistics.median(build_times):.2f} s over {args.builds} builds")
    print(
        f"locate_many vs STRtree answers: {mismatches} mismatches; "
        f"{np.count_nonzero(expected >= 0) / args.points:.1%} of points inside a micro-grid"
    )

    if args.check:
        rate = args.points / batch_s
        assert mismatches == 0, f"{mismatches} points routed differently from the STRtree"
        assert rate >= MIN_POINTS_PER_SECOND, f"locate_many: {rate:,.0f} points/s"
        assert single_median < MAX_SINGLE_MEDIAN_US, f"single lookup: {single_median:.1f} µs"
        print("targets met")


if __name__ == "__main__":
    main()
