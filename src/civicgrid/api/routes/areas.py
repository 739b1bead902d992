"""/api/v1/areas: nodes, children, subtrees, GeoJSON and point location."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from civicgrid.adapters.files.area_geojson import write_areas_geojson
from civicgrid.api.deps import ContainerDep, CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.schemas.areas import (
    AreaDetail,
    AreaList,
    AreaPublic,
    AreaRef,
    AreaUpdate,
    LocateResult,
)
from civicgrid.domain.areas import Level
from civicgrid.domain.errors import InvalidInput
from civicgrid.services import areas as area_cases
from civicgrid.services.locating import locate_point

router = APIRouter(prefix="/api/v1/areas", tags=["areas"], responses=ERROR_RESPONSES)

Code = Annotated[
    str,
    Path(
        min_length=1,
        max_length=20,
        pattern=r"^[^\x00-\x1f\x7f]+$",  # no control characters: PostgreSQL refuses NUL
        description="Area code or alias code",
    ),
]
PageNo = Annotated[int, Query(ge=1, le=1_000_000)]
PageSize = Annotated[int, Query(ge=1, le=area_cases.MAX_PAGE_SIZE)]
LevelSlug = Annotated[
    str | None,
    Query(description="city, district, street, community, grid or micro-grid", max_length=20),
]


def _level(slug: str | None) -> Level | None:
    if slug is None:
        return None
    try:
        return Level.from_slug(slug)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="level") from exc


@router.get("")
def list_my_areas(container: ContainerDep, principal: CurrentPrincipal) -> AreaList:
    """The roots of the caller's jurisdiction."""
    roots = [
        area_cases.get_area(container.uow(), principal, grant.area_code, with_geometry=False)
        for grant in principal.grants
    ]
    unique = list({area.code: area for area in roots}.values())
    return AreaList(
        data=[AreaPublic.of(a) for a in unique], count=len(unique), page=1, page_size=len(unique)
    )


@router.get("/locate")
def locate(
    container: ContainerDep,
    principal: CurrentPrincipal,
    lat: Annotated[float, Query(ge=-90, le=90)],
    lon: Annotated[float, Query(ge=-180, le=180)],
    snap_m: Annotated[float | None, Query(ge=0, le=5000)] = None,
) -> LocateResult:
    """The micro-grid containing a WGS84 point, snapped within a tolerance, or outside."""
    tolerance = container.settings.snap_tolerance_m if snap_m is None else snap_m
    found = locate_point(
        container.uow(), container.locators, principal, lat=lat, lon=lon, snap_tolerance_m=tolerance
    )
    location = found.location
    status = "outside" if location.code is None else "snapped" if location.snapped else "inside"
    return LocateResult(
        status=status,
        distance_m=None if location.code is None else round(location.distance_m, 2),
        micro_grid=AreaRef.of(found.chain[-1]) if found.chain else None,
        chain=[AreaRef.of(a) for a in found.chain],
    )


@router.get("/{code}")
def get_area(container: ContainerDep, principal: CurrentPrincipal, code: Code) -> AreaDetail:
    """One area with its ancestors."""
    uow = container.uow()
    area = area_cases.get_area(uow, principal, code, with_geometry=True)
    with uow:
        ancestors = area_cases.get_ancestors(uow, area)
    return AreaDetail(
        **AreaPublic.of(area).model_dump(), ancestors=[AreaRef.of(a) for a in ancestors]
    )


@router.patch("/{code}")
def update_area(
    container: ContainerDep, principal: CurrentPrincipal, code: Code, body: AreaUpdate
) -> AreaPublic:
    """Change an area's names or household count (officers, inside their subtree)."""
    changes = area_cases.AreaChanges(**body.model_dump(exclude_unset=True))
    return AreaPublic.of(area_cases.update_area(container.uow(), principal, code, changes))


@router.get("/{code}/children")
def list_children(
    container: ContainerDep,
    principal: CurrentPrincipal,
    code: Code,
    page: PageNo = 1,
    page_size: PageSize = 100,
) -> AreaList:
    """The direct children of an area."""
    found = area_cases.list_subtree(
        container.uow(), principal, code, children_only=True, page=page, page_size=page_size
    )
    return AreaList.of(found, page, page_size)


@router.get("/{code}/subtree")
def list_subtree(
    container: ContainerDep,
    principal: CurrentPrincipal,
    code: Code,
    level: LevelSlug = None,
    page: PageNo = 1,
    page_size: PageSize = 100,
) -> AreaList:
    """An area and all its descendants (or those at one level), in path order."""
    found = area_cases.list_subtree(
        container.uow(), principal, code, level=_level(level), page=page, page_size=page_size
    )
    return AreaList.of(found, page, page_size)


@router.get(
    "/{code}/geojson",
    response_class=JSONResponse,
    responses={200: {"content": {"application/geo+json": {}}}},
)
def subtree_geojson(
    container: ContainerDep,
    principal: CurrentPrincipal,
    code: Code,
    level: LevelSlug = None,
    page: PageNo = 1,
    page_size: PageSize = 100,
) -> JSONResponse:
    """A subtree as a GeoJSON FeatureCollection; synthetic polygons say so."""
    found = area_cases.list_subtree(
        container.uow(),
        principal,
        code,
        level=_level(level),
        page=page,
        page_size=page_size,
        with_geometry=True,
    )
    collection: dict[str, Any] = write_areas_geojson(found.items)
    collection["count"] = found.count
    return JSONResponse(collection, media_type="application/geo+json")
