"""The areas of the public map: boundaries and names, which are public, and nothing else."""

from __future__ import annotations

from civicgrid.domain.areas import Area, Level
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.services.areas import get_ancestors
from civicgrid.services.locating import check_coordinates
from civicgrid.services.ports import LocatorProvider, UnitOfWork

MAX_PUBLIC_AREAS = 5000  # more than any one parent's children; a bound on a public answer


def list_public_areas(uow: UnitOfWork, *, parent: str | None = None) -> list[Area]:
    """The districts when `parent` is None, else `parent`'s children; each with geometry.

    Open to anyone: an area's outline and name are what a resident sees on a street sign.
    """
    with uow:
        if parent is None:
            page = uow.areas.subtree(
                "/", level=Level.DISTRICT, offset=0, limit=MAX_PUBLIC_AREAS, with_geometry=True
            )
            return page.items
        if not (parent.isascii() and parent.isdigit() and len(parent) <= 20):
            raise InvalidInput(f"an area code is digits, got {parent[:20]!r}", field="parent")
        area = uow.areas.get(parent, with_geometry=False)
        if area is None:
            raise NotFound(f"no area with code {parent}", field="parent")
        return uow.areas.children_of([area.code])[:MAX_PUBLIC_AREAS]


def locate_public(
    uow: UnitOfWork,
    locators: LocatorProvider,
    *,
    lat: float,
    lon: float,
    snap_tolerance_m: float,
) -> list[Area]:
    """The areas from the city down to the micro-grid a reporter's point falls in (as a
    report there would be filed); empty when it lies outside. Names only, no geometry."""
    check_coordinates(lat, lon)
    with uow:
        location = locators.current(uow).locate(lon, lat, snap_tolerance_m)
        area = uow.areas.get(location.code, with_geometry=False) if location.code else None
        return [*get_ancestors(uow, area), area] if area is not None else []
