"""Test data: a small city with box-shaped areas whose codes and nesting are valid.

Layout: each area's box is split into equal vertical strips for its children, so
siblings tile their parent exactly.
"""

from __future__ import annotations

from shapely.geometry import box

from civicgrid.domain.areas import Area, Level

CITY = "410100"
# district → streets → communities → grids → micro-grids (counts per parent)
SHAPE = {Level.DISTRICT: 2, Level.STREET: 2, Level.COMMUNITY: 2, Level.GRID: 2, Level.MICRO_GRID: 2}
_OWN_DIGITS = {
    Level.DISTRICT: 2,
    Level.STREET: 3,
    Level.COMMUNITY: 3,
    Level.GRID: 3,
    Level.MICRO_GRID: 2,
}
CITY_BOX = (113.0, 34.0, 114.0, 35.0)


def small_city() -> list[Area]:
    """1 city, 2 districts, 4 streets, 8 communities, 16 grids, 32 micro-grids."""
    city = Area(
        code=CITY,
        level=Level.CITY,
        name_zh="测试市",
        name_en="Test City",
        geometry=box(*CITY_BOX),
    )
    areas = [city]
    frontier = [(city, CITY_BOX)]
    for level in list(Level)[1:]:
        nxt = []
        for parent, (x0, y0, x1, y1) in frontier:
            count = SHAPE[level]
            width = (x1 - x0) / count
            for i in range(count):
                own = str(i + 2 if level is Level.DISTRICT else i + 1).zfill(_OWN_DIGITS[level])
                prefix = parent.code[:4] if parent.level is Level.CITY else parent.code
                # Split alternately along x and y so shapes stay compact.
                if level % 2 == 0:
                    bounds = (x0 + i * width, y0, x0 + (i + 1) * width, y1)
                else:
                    height = (y1 - y0) / count
                    bounds = (x0, y0 + i * height, x1, y0 + (i + 1) * height)
                child = Area(
                    code=prefix + own,
                    level=level,
                    name_zh=f"{level.name_zh}{prefix + own}",
                    name_en=f"{level.slug} {prefix + own}",
                    parent_code=parent.code,
                    geometry=box(*bounds),
                    synthetic=level > Level.DISTRICT,
                    households=60 if level is Level.MICRO_GRID else None,
                )
                areas.append(child)
                nxt.append((child, bounds))
        frontier = nxt
    return areas


def centre_of(area: Area) -> tuple[float, float]:
    """(lat, lon) of the area's centroid."""
    assert area.geometry is not None
    point = area.geometry.centroid
    return point.y, point.x
