"""The staff map's base layer: the hierarchy's own outlines, simplified for the zoom.

No tile server: the areas are the map. A request names a zoom; the outlines come back
simplified to half a screen pixel at that zoom and rounded to what a pixel can show, so
a district seen whole from the city costs tens of vertices, not thousands. Two ways in:

- drilling down, `list_child_outlines`: the children of one area (at most a few dozen);
- looking around, `OutlineCache.in_view`: every area of the level that suits the zoom
  inside a box, from per-level arrays and an STRtree kept in memory per areas version.

Both stay inside the caller's subtree: an area outside it is a Forbidden, and the
areas in view are filtered by the caller's scopes.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from civicgrid.domain.access import Action, Principal, readable_scopes
from civicgrid.domain.areas import Area, AreaPath, Level
from civicgrid.domain.areas.area import is_within, path_codes
from civicgrid.domain.errors import InvalidInput
from civicgrid.services.areas import access_area
from civicgrid.services.ports import UnitOfWork

MIN_ZOOM, MAX_ZOOM = 0, 20
# The zoom from which each level is drawn when looking around. Chosen so that a typical
# unit of the Zhengzhou demo is 50-100 px wide there: big enough to see and tap, few
# enough per screen (a district ~0.34° wide, a street 0.07°, a community 0.017°, a grid
# 0.008°, a micro-grid 0.003°; a degree is 2^zoom * 256/360 px).
LEVEL_FROM_ZOOM = {
    Level.DISTRICT: 0,
    Level.STREET: 11,
    Level.COMMUNITY: 12,
    Level.GRID: 14,
    Level.MICRO_GRID: 15,
}
HALF_PIXEL_AT_ZOOM_0 = 0.5 * 360 / 256  # degrees of longitude per half pixel at zoom 0
FINEST_GRID = 1e-6  # about 0.1 m
MAX_IN_VIEW = 3000  # outlines in one answer; a screen at the right zoom shows far fewer
CACHED_ANSWERS = 512  # children per (parent, zoom) kept between requests

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Outline:
    code: str
    level: Level
    name_zh: str
    name_en: str
    geometry: BaseGeometry  # simplified for the zoom asked

    @property
    def leaf(self) -> bool:
        return self.level is Level.MICRO_GRID


def check_zoom(zoom: int) -> int:
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise InvalidInput(f"zoom lies between {MIN_ZOOM} and {MAX_ZOOM}", field="zoom")
    return zoom


def level_for_zoom(zoom: int) -> Level:
    """The deepest level drawn at `zoom` when looking around."""
    return max(level for level, start in LEVEL_FROM_ZOOM.items() if start <= zoom)


def tolerance_for_zoom(zoom: int) -> float:
    """Half a screen pixel at `zoom`, in degrees: simplifying less changes nothing seen."""
    return HALF_PIXEL_AT_ZOOM_0 / float(2**zoom)


def grid_for_zoom(zoom: int) -> float:
    """Coordinates are rounded to the power of ten below half the tolerance."""
    decimals = math.ceil(-math.log10(tolerance_for_zoom(zoom) / 2))
    return max(10.0**-decimals, FINEST_GRID)


def simplify_for_zoom(geometries: Sequence[BaseGeometry], zoom: int) -> list[BaseGeometry]:
    """Every geometry simplified (topology kept) and rounded for `zoom`, in one pass."""
    if not geometries:
        return []
    array = np.array(geometries, dtype=object)
    simple = shapely.simplify(array, tolerance_for_zoom(zoom), preserve_topology=True)
    rounded = shapely.set_precision(simple, grid_for_zoom(zoom))
    # Rounding can collapse a sliver; then the simplified shape is the better answer.
    empty = shapely.is_empty(rounded)
    return list(np.where(empty, simple, rounded))


def outlines_of(areas: Sequence[Area], zoom: int) -> list[Outline]:
    drawn = [a for a in areas if a.geometry is not None and not a.geometry.is_empty]
    simple = simplify_for_zoom([a.geometry for a in drawn if a.geometry is not None], zoom)
    return [
        Outline(a.code, a.level, a.name_zh, a.name_en, geometry)
        for a, geometry in zip(drawn, simple, strict=True)
    ]


def get_map_roots(uow: UnitOfWork, principal: Principal) -> list[Area]:
    """The top areas of the caller's subtree: where their map starts."""
    codes = [path_codes(scope)[-1] for scope in readable_scopes(principal) if scope != "/"]
    with uow:
        if "/" in readable_scopes(principal):
            page = uow.areas.subtree("/", level=Level.CITY, offset=0, limit=50, with_geometry=True)
            return page.items
        found = uow.areas.get_many(codes)
    return [found[code] for code in codes if code in found]


def list_child_outlines(
    uow: UnitOfWork, principal: Principal, parent: str | None, zoom: int
) -> list[Outline]:
    """`parent`'s children (its own outline for a micro-grid), or without a parent the
    caller's roots; simplified for `zoom`. Forbidden outside the caller's subtree."""
    check_zoom(zoom)
    if parent is None:
        return outlines_of(get_map_roots(uow, principal), zoom)
    with uow:
        area = access_area(uow, principal, parent, Action.READ, with_geometry=True)
        children = uow.areas.children_of([area.code]) if area.level.child() else [area]
    return outlines_of(children, zoom)


@dataclass(frozen=True)
class LevelOutlines:
    """Every area of one level, as arrays, with an STRtree over their outlines."""

    areas: list[Area]
    paths: list[AreaPath]
    tree: shapely.STRtree

    @classmethod
    def of(cls, areas: list[Area]) -> LevelOutlines:
        drawn = [a for a in areas if a.geometry is not None]
        tree = shapely.STRtree(np.array([a.geometry for a in drawn], dtype=object))
        return cls(drawn, [a.path for a in drawn], tree)


class OutlineCache:
    """One per process: each level's outlines, loaded on first use and again whenever the
    areas version changes (an import or an edit bumps it in the same transaction)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = ""
        self._levels: dict[Level, LevelOutlines] = {}
        self._children: OrderedDict[tuple[str, int], list[Outline]] = OrderedDict()

    def _current(self, uow: UnitOfWork) -> None:
        version = uow.areas.version()
        if version != self._version:
            self._version, self._levels = version, {}
            self._children.clear()

    def children(
        self, uow: UnitOfWork, principal: Principal, parent: str, zoom: int
    ) -> list[Outline]:
        """`list_child_outlines` for one parent, kept per (parent, zoom) while the areas
        stay as they are; the access check runs on every call."""
        check_zoom(zoom)
        with uow:
            area = access_area(uow, principal, parent, Action.READ, with_geometry=False)
            with self._lock:
                self._current(uow)
                kept = self._children.get((area.code, zoom))
                if kept is not None:
                    self._children.move_to_end((area.code, zoom))
                    return kept
        found = list_child_outlines(uow, principal, area.code, zoom)
        with self._lock:
            self._children[(area.code, zoom)] = found
            while len(self._children) > CACHED_ANSWERS:
                self._children.popitem(last=False)
        return found

    def in_view(
        self, uow: UnitOfWork, principal: Principal, box: Box, zoom: int
    ) -> tuple[Level, list[Outline]]:
        """The areas of the level for `zoom` that meet `box`, inside the caller's subtree
        (never above its own top level); at most MAX_IN_VIEW, by code."""
        check_zoom(zoom)
        scopes = readable_scopes(principal)
        if not scopes:
            return level_for_zoom(zoom), []
        top = min(len(path_codes(scope)) for scope in scopes)
        level = max(level_for_zoom(zoom), Level(max(top, Level.DISTRICT)))
        with uow, self._lock:
            self._current(uow)
            outlines = self._levels.get(level)
            if outlines is None:
                page = uow.areas.subtree(
                    "/", level=level, offset=0, limit=10**7, with_geometry=True
                )
                outlines = self._levels[level] = LevelOutlines.of(page.items)
        hits = sorted(outlines.tree.query(shapely.box(*box), predicate="intersects").tolist())
        chosen = [
            outlines.areas[i]
            for i in hits
            if any(is_within(outlines.paths[i], scope) for scope in scopes)
        ]
        return level, outlines_of(sorted(chosen, key=lambda a: a.code)[:MAX_IN_VIEW], zoom)
