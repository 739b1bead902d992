"""/citizen/map: the public map data (area outlines and names), simplified for phones."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import JSONResponse

from civicgrid.domain.areas import Level
from civicgrid.domain.citizens.catalog import Locale
from civicgrid.domain.citizens.requests_query import MAX_SPAN, RequestQuery
from civicgrid.services.open311_queries import find_requests
from civicgrid.services.public_map import list_public_areas, locate_public
from civicgrid.web.geo import feature_collection, parse_bbox
from civicgrid.web.page import PageDep

router = APIRouter(prefix="/citizen/map", include_in_schema=False)


@router.get("/areas.geojson")
def area_outlines(
    page: PageDep,
    parent: Annotated[str | None, Query(max_length=20)] = None,
) -> JSONResponse:
    """The districts, or the children of `parent`: outline, code, level and name only."""
    areas = list_public_areas(page.container.uow(), parent=parent)
    body = feature_collection(areas, lambda area: page.name(area.name_zh, area.name_en))
    return JSONResponse(
        body,
        media_type="application/geo+json",
        headers={"Cache-Control": "public, max-age=300", "Vary": "Cookie, Accept-Language"},
    )


@router.get("/locate")
def place_name(
    page: PageDep,
    lat: Annotated[float, Query(ge=-90, le=90)],
    lon: Annotated[float, Query(ge=-180, le=180)],
) -> JSONResponse:
    """Where a pin falls, district down to micro-grid, so the reporter can check it."""
    container = page.container
    chain = locate_public(
        container.uow(),
        container.locators,
        lat=lat,
        lon=lon,
        snap_tolerance_m=container.settings.snap_tolerance_m,
    )
    names = [page.name(a.name_zh, a.name_en) for a in chain if a.level is not Level.CITY]
    return JSONResponse({"inside": bool(chain), "names": names})


MAX_REPORT_POINTS = 300  # enough to see what is reported nearby; the map is no case list


@router.get("/reports.geojson")
def open_reports(page: PageDep, bbox: Annotated[str, Query(max_length=200)]) -> JSONResponse:
    """Open reports of the last 90 days inside `bbox` (min lon, min lat, max lon, max lat),
    so a resident sees what is reported already: category and date, nothing else."""
    box = parse_bbox(bbox)
    now = page.container.clock()
    query = RequestQuery(
        start=now - MAX_SPAN, end=now, statuses=("open",), bbox=box, page_size=MAX_REPORT_POINTS
    )
    english = page.language.tag == "en"
    found = find_requests(
        page.container.uow(),
        page.container.rules.tree,
        query,
        locale=Locale.EN if english else Locale.ZH,
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [request.long, request.lat]},
            "properties": {
                "category": request.service_name,
                "reported": page.local_time(request.requested_datetime),
            },
        }
        for request in found
        if request.lat is not None and request.long is not None
    ]
    return JSONResponse(
        {"type": "FeatureCollection", "features": features},
        media_type="application/geo+json",
        headers={"Cache-Control": "no-store"},
    )
