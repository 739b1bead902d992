"""/staff/map: drill down from the city to a micro-grid over the hierarchy's own outlines,
with open cases, active alerts, a density layer, and a panel for the area in focus.

The page works without its script: the trail and the list of children are links, and
the panel is on the page. The script draws the map from the JSON endpoints below; each
answers only inside the caller's subtree (an area outside it is a 403).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.responses import JSONResponse, Response

from civicgrid.adapters.indicator_limits import TreeCategoryLimits
from civicgrid.domain.errors import NotFound
from civicgrid.services.map_layers import (
    MAX_ZOOM,
    MIN_ZOOM,
    Outline,
    get_map_roots,
    list_child_outlines,
)
from civicgrid.services.map_markers import (
    POINTS_FROM_ZOOM,
    count_open_cases_by_child,
    get_case_density,
    list_active_alert_points,
    list_open_case_points,
)
from civicgrid.services.map_panel import AreaPanel, describe_area, get_recent_indicators
from civicgrid.web.geo import area_feature, parse_bbox
from civicgrid.web.staff import StaffDep, StaffPage, StaffRoute

MAP = "/staff/map"
router = APIRouter(prefix=MAP, route_class=StaffRoute, include_in_schema=False)

Code = Annotated[str, Path(min_length=1, max_length=20, pattern=r"^[0-9]+$")]
CodeQuery = Annotated[str | None, Query(min_length=1, max_length=20, pattern=r"^[0-9]+$")]
Parent = Annotated[str, Query(min_length=1, max_length=20, pattern=r"^[0-9]+$")]
Zoom = Annotated[int, Query(ge=MIN_ZOOM, le=MAX_ZOOM)]
BoxQuery = Annotated[str | None, Query(max_length=200)]
# Outlines change only with an import or an edit; a browser may keep them for a while.
PRIVATE_CACHE = {"Cache-Control": "private, max-age=300", "Vary": "Cookie"}
LIVE = {"Cache-Control": "no-store"}


@router.get("")
def map_page(staff: StaffDep, area: CodeQuery = None) -> Response:
    """The map focused on `area` (else the top of one's subtree), with its panel."""
    code = area or _first_root(staff)
    return staff.render(
        "staff/map.html", {"panel": _panel(staff, code), "points_from": POINTS_FROM_ZOOM}
    )


@router.get("/panel/{code}")
def panel_fragment(staff: StaffDep, code: Code) -> Response:
    """Only the panel, which the map's script fetches when an area is chosen."""
    return staff.render("staff/map_panel.html", {"panel": _panel(staff, code)})


@router.get("/indicators/{code}")
def indicators_fragment(staff: StaffDep, code: Code) -> Response:
    """The last 30 days' indicators of `code`, fetched after the panel: the first ask
    after a start replays the case log, and the map must not wait for it."""
    container = staff.page.container
    limits = TreeCategoryLimits.of(container.rules)
    found = get_recent_indicators(
        container.uow(),
        staff.principal,
        code,
        now=container.clock(),
        limits=limits,
        clock=limits.calendar,
        facts=container.indicator_facts,
    )
    return staff.render("staff/map_indicators.html", {"indicators": found})


@router.get("/areas.geojson")
def outlines(
    staff: StaffDep, zoom: Zoom, parent: CodeQuery = None, bbox: BoxQuery = None
) -> JSONResponse:
    """`parent`'s children (without it: one's top areas), or with `bbox` every area of
    the level for `zoom` in view; simplified for `zoom` either way."""
    container = staff.page.container
    principal = staff.principal
    if bbox is not None:
        box = parse_bbox(bbox)
        level, found = container.map_outlines.in_view(container.uow(), principal, box, zoom)
        return _collection(staff, found, headers=PRIVATE_CACHE, level=level.slug)
    if parent is None:
        found = list_child_outlines(container.uow(), principal, None, zoom)
    else:
        found = container.map_outlines.children(container.uow(), principal, parent, zoom)
    return _collection(staff, found, headers=PRIVATE_CACHE)


@router.get("/cases.geojson")
def open_cases(staff: StaffDep, parent: Parent, zoom: Zoom, bbox: BoxQuery = None) -> JSONResponse:
    """Open cases: counted per child of `parent` below POINTS_FROM_ZOOM, else one by one
    inside `bbox`."""
    container = staff.page.container
    now = container.clock()
    features: list[dict[str, Any]]
    if zoom >= POINTS_FROM_ZOOM and bbox is not None:
        found = list_open_case_points(container.uow(), staff.principal, parse_bbox(bbox), now=now)
        features = [
            _point(
                m.point.lon,
                m.point.lat,
                kind="case",
                id=m.point.id,
                category=m.point.category,
                stage=m.point.stage,
                light=m.light.value if m.light else "none",
            )
            for m in found
        ]
    else:
        counts = count_open_cases_by_child(container.uow(), staff.principal, parent, now=now)
        features = [
            _point(
                m.lon,
                m.lat,
                kind="area",
                code=m.code,
                open=m.open,
                overdue=m.overdue,
                warning=m.warning,
            )
            for m in counts
        ]
    return _json({"type": "FeatureCollection", "features": features}, LIVE)


@router.get("/alerts.geojson")
def active_alerts(staff: StaffDep, parent: Parent) -> JSONResponse:
    """Active alerts under `parent`, where their sensors stand."""
    container = staff.page.container
    found = list_active_alert_points(container.iot_uow(), staff.principal, parent)
    features = [
        _point(
            a.lon,
            a.lat,
            kind="alert",
            id=a.id,
            severity=a.severity,
            category=a.category,
            sensor=a.sensor_name,
        )
        for a in found
    ]
    return _json({"type": "FeatureCollection", "features": features}, LIVE)


@router.get("/heat.json")
def case_density(
    staff: StaffDep, bbox: Annotated[str, Query(max_length=200)], zoom: Zoom
) -> JSONResponse:
    """Open cases per small cell in view, as [lat, lon, count] for the heat layer."""
    container = staff.page.container
    cells = get_case_density(container.uow(), staff.principal, parse_bbox(bbox), zoom)
    peak = max((n for _, _, n in cells), default=0)
    points = [[round(lat, 6), round(lon, 6), n] for lon, lat, n in cells]
    return JSONResponse({"points": points, "max": peak}, headers=LIVE)


def _first_root(staff: StaffPage) -> str:
    roots = get_map_roots(staff.page.container.uow(), staff.principal)
    if not roots:
        raise NotFound("no area is assigned to you yet")
    return roots[0].code


def _panel(staff: StaffPage, code: str) -> AreaPanel:
    container = staff.page.container
    return describe_area(container.uow(), staff.principal, code, now=container.clock())


def _point(lon: float, lat: float, **properties: object) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": properties,
    }


def _collection(
    staff: StaffPage, found: list[Outline], *, headers: dict[str, str], **extra: object
) -> JSONResponse:
    name = staff.page.name
    features = [
        area_feature(o.code, o.level, name(o.name_zh, o.name_en), o.geometry) for o in found
    ]
    return _json({"type": "FeatureCollection", "features": features, **extra}, headers)


def _json(body: dict[str, Any], headers: dict[str, str]) -> JSONResponse:
    return JSONResponse(body, media_type="application/geo+json", headers=headers)
