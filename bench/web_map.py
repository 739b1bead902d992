"""The staff map at city zoom: first paint in headless chromium, and payload per zoom.

Run: .venv/bin/python bench/web_map.py [--runs 7] [--baseline-runs 3] [--check]

Loads the full Zhengzhou demo areas (about 59,000 units, 48,000 micro-grids) into a
temporary SQLite database, starts `civicgrid serve` on a loopback port, signs a
city-level leader in, and opens /staff/map in Debian's headless chromium, each run in a
fresh browser context (no HTTP cache). Timed from navigation start:

- `drawn`: the district outlines are on the map (the page's `map-drawn` mark);
- `painted`: two animation frames later, i.e. the browser has painted them.

Baseline, same run, same page: the outlines request answered instead with the whole
hierarchy unsimplified, which is what a map without per-zoom geometry would draw.
Then the payload of /staff/map/areas.geojson for one desktop screen (1366 x 900 px) per
zoom, against the same areas' unsimplified outlines. Medians; the machine is a noisy
two-core box, so ratios against the baseline carry more than absolute figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from playwright.sync_api import Browser, Route, sync_playwright

from civicgrid.adapters.db import migrate
from civicgrid.adapters.demo_zhengzhou import build_demo_areas
from civicgrid.bootstrap import bootstrap
from civicgrid.config import Settings
from civicgrid.domain.access import Role
from civicgrid.domain.areas import Area
from civicgrid.services import users
from civicgrid.services.area_import import import_areas
from civicgrid.services.map_layers import LEVEL_FROM_ZOOM

CHROMIUM = "/usr/bin/chromium"
TARGET_MS = 2000.0
USERNAME = "bench-leader"
SCREEN = (1366, 900)
CENTRE = (113.68, 34.78)  # 金水区, the city's centre
ZOOMS = (9, 10, 11, 12, 13, 14, 15, 16)
# Two frames after the mark: the frame with the outlines has been painted.
PAINTED = """() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() =>
    resolve([performance.getEntriesByName('map-drawn')[0].startTime, performance.now()]))))"""
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def load_demo(data_dir: Path, password: str) -> list[Area]:
    settings = Settings(env="development", data_dir=data_dir)
    migrate.upgrade(settings.sqlalchemy_url)
    container = bootstrap(settings)
    areas = build_demo_areas(seed=2023)
    import_areas(container.uow(), areas, english_name=container.english_name)
    now = datetime.now(UTC)
    users.add_user(container.uow(), container.hasher, USERNAME, password, now=now)
    users.grant_role(container.uow(), USERNAME, Role.LEADER, "410100", now=now)
    container.dispose()
    return areas


@contextmanager
def server(data_dir: Path) -> Iterator[str]:
    """`civicgrid serve` in its own process, as in production; yields its base URL."""
    port = free_port()
    env = os.environ | {
        "CIVICGRID_DATA_DIR": str(data_dir),
        "CIVICGRID_TICK_SECONDS": "0",
        "CIVICGRID_ENV": "development",
    }
    env.pop("CIVICGRID_DATABASE_URL", None)
    process = subprocess.Popen(
        [str(VENV_BIN / "civicgrid"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/staff/login", timeout=2).close()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("civicgrid serve did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def raw_hierarchy(areas: list[Area]) -> bytes:
    """Every area with its stored outline, unsimplified: the baseline's base map."""
    drawn = [a for a in areas if a.geometry is not None]
    geometries = shapely.to_geojson(np.array([a.geometry for a in drawn], dtype=object))
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(text),
            "properties": {"code": a.code, "level": a.level.slug, "name": a.name_en},
        }
        for a, text in zip(drawn, geometries, strict=True)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def signed_in_state(browser: Browser, base: str, password: str) -> Any:
    context = browser.new_context(base_url=base)
    page = context.new_page()
    page.goto("/staff/login")
    page.fill("#username", USERNAME)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/staff/login" not in url)
    state = context.storage_state()
    context.close()
    return state


def first_paint(browser: Browser, base: str, state: Any, body: bytes | None) -> tuple[float, float]:
    """(drawn, painted) ms from navigation start in a fresh context; with `body`, the
    outlines request is answered with it instead of by the server."""
    context = browser.new_context(
        base_url=base, storage_state=state, viewport={"width": SCREEN[0], "height": SCREEN[1]}
    )
    context.set_default_timeout(600_000)
    page = context.new_page()
    if body is not None:

        def answer(route: Route) -> None:
            route.fulfill(status=200, body=body, content_type="application/geo+json")

        page.route("**/staff/map/areas.geojson?*parent=*", answer)
    page.goto("/staff/map?lang=en")
    page.locator('#staff-map[data-ready="1"]').wait_for(state="attached")
    drawn, painted = page.evaluate(PAINTED)
    context.close()
    return float(drawn), float(painted)


def screen_box(zoom: int) -> str:
    """The box one desktop screen covers at `zoom` around CENTRE (Web Mercator)."""
    scale = 256 * 2**zoom
    x = (CENTRE[0] + 180) / 360 * scale
    siny = math.sin(math.radians(CENTRE[1]))
    y = (0.5 - math.log((1 + siny) / (1 - siny)) / (4 * math.pi)) * scale

    def lon_lat(px: float, py: float) -> tuple[float, float]:
        lon = px / scale * 360 - 180
        n = math.pi - 2 * math.pi * py / scale
        return lon, math.degrees(math.atan(math.sinh(n)))

    west, north = lon_lat(x - SCREEN[0] / 2, y - SCREEN[1] / 2)
    east, south = lon_lat(x + SCREEN[0] / 2, y + SCREEN[1] / 2)
    return f"{west:.5f},{south:.5f},{east:.5f},{north:.5f}"


def payloads(browser: Browser, base: str, state: Any, areas: list[Area]) -> list[str]:
    context = browser.new_context(base_url=base, storage_state=state)
    by_code = {a.code: a for a in areas}
    lines = []
    for zoom in ZOOMS:
        url = f"/staff/map/areas.geojson?bbox={screen_box(zoom)}&zoom={zoom}&lang=en"
        context.request.get(url)  # the level's arrays load once per process; not timed
        times, body = [], b""
        for _ in range(5):
            start = time.perf_counter()
            answer = context.request.get(url)
            times.append((time.perf_counter() - start) * 1000)
            body = answer.body()
        found = json.loads(body)
        codes = [f["properties"]["code"] for f in found["features"]]
        raw = sum(
            len(shapely.to_geojson(by_code[code].geometry))
            for code in codes
            if by_code[code].geometry is not None
        )
        simple = sum(len(json.dumps(f["geometry"])) for f in found["features"])
        lines.append(
            f"{zoom:>4} {found['level']:<11} {len(codes):>6} {len(body) / 1024:>9.0f} "
            f"{simple / max(raw, 1):>10.2f} {statistics.median(times):>8.0f}"
        )
    context.close()
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="fail when painting takes 2 s")
    args = parser.parse_args()
    password = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        areas = load_demo(Path(tmp), password)
        print(f"demo: {len(areas)} areas stored in {time.perf_counter() - start:.1f} s")
        baseline_body = raw_hierarchy(areas)
        with server(Path(tmp)) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--disable-background-networking", "--no-sandbox"],
            )
            state = signed_in_state(browser, base, password)
            first_paint(browser, base, state, None)  # the server's caches warm, as in use
            ours = [first_paint(browser, base, state, None) for _ in range(args.runs)]
            naive = [
                first_paint(browser, base, state, baseline_body) for _ in range(args.baseline_runs)
            ]
            sizes = payloads(browser, base, state, areas)
            browser.close()
    drawn = statistics.median(d for d, _ in ours)
    painted = statistics.median(p for _, p in ours)
    base_painted = statistics.median(p for _, p in naive)
    print(f"\n/staff/map at city zoom, median of {args.runs} (baseline {args.baseline_runs}) runs")
    print(f"{'':<40} {'drawn ms':>9} {'painted ms':>11}")
    print(f"{'per-zoom simplified (ours)':<40} {drawn:>9.0f} {painted:>11.0f}")
    print(
        f"{'whole hierarchy unsimplified (baseline)':<40} "
        f"{statistics.median(d for d, _ in naive):>9.0f} {base_painted:>11.0f}"
    )
    print(
        f"baseline / ours (painted): {base_painted / painted:.1f}x; "
        f"baseline payload {len(baseline_body) / 2**20:.1f} MiB"
    )
    print(
        f"\nareas.geojson for one {SCREEN[0]}x{SCREEN[1]} screen at the city centre "
        f"(levels from zoom: { {lv.slug: z for lv, z in LEVEL_FROM_ZOOM.items()} })"
    )
    print(f"{'zoom':>4} {'level':<11} {'areas':>6} {'KiB':>9} {'vs raw':>10} {'ms':>8}")
    print("\n".join(sizes))
    if args.check and painted > TARGET_MS:
        print(f"FAIL: first paint {painted:.0f} ms > {TARGET_MS:.0f} ms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
