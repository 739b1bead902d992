"""Reading and editing the hierarchy, always inside the actor's jurisdiction."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from civicgrid.domain.access import Action, Principal, authorize
from civicgrid.domain.areas import Area, Level
from civicgrid.domain.areas.area import path_codes
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.services.ports import Page, UnitOfWork

MAX_PAGE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class AreaChanges:
    """Fields a PATCH may change; None means "not sent"."""

    name_zh: str | None = None
    name_en: str | None = None
    households: int | None = None


def access_area(
    uow: UnitOfWork, principal: Principal, code: str, action: Action, *, with_geometry: bool
) -> Area:
    # Codes are digits; anything else cannot name an area (and NUL would upset PostgreSQL).
    valid = code.isascii() and code.isdigit()
    area = uow.areas.get(code, with_geometry=with_geometry) if valid else None
    if area is None:
        raise NotFound(f"no area with code {code}", field="code")
    authorize(principal, action, area.path, f"area {area.code}")
    return area


def get_area(uow: UnitOfWork, principal: Principal, code: str, *, with_geometry: bool) -> Area:
    with uow:
        return access_area(uow, principal, code, Action.READ, with_geometry=with_geometry)


def get_ancestors(uow: UnitOfWork, area: Area) -> list[Area]:
    """The chain from the city down to `area`'s parent."""
    codes = path_codes(area.path)[:-1]
    paths = ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
    return uow.areas.get_by_path(paths)


def list_subtree(
    uow: UnitOfWork,
    principal: Principal,
    code: str,
    *,
    level: Level | None = None,
    children_only: bool = False,
    page: int = 1,
    page_size: int = 100,
    with_geometry: bool = False,
) -> Page[Area]:
    if page < 1:
        raise InvalidInput("page must be 1 or more", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"page_size must be between 1 and {MAX_PAGE_SIZE}", field="page_size")
    with uow:
        root = access_area(uow, principal, code, Action.READ, with_geometry=False)
        if children_only:
            child = root.level.child()
            if child is None:
                return Page(items=[], count=0)
            level = child
        if level is not None and level < root.level:
            raise InvalidInput(
                f"level {level.slug} lies above area {root.code} ({root.level.slug})",
                field="level",
            )
        return uow.areas.subtree(
            root.path,
            level=level,
            offset=(page - 1) * page_size,
            limit=page_size,
            with_geometry=with_geometry,
            include_root=not children_only,
        )


def update_area(uow: UnitOfWork, principal: Principal, code: str, changes: AreaChanges) -> Area:
    if changes.households is not None and changes.households < 0:
        raise InvalidInput("households cannot be negative", field="households")
    for field in ("name_zh", "name_en"):
        value = getattr(changes, field)
        if value is not None and not value.strip():
            raise InvalidInput(f"{field} cannot be blank", field=field)
        if value is not None and not value.isprintable():
            raise InvalidInput(f"{field} cannot contain control characters", field=field)
    with uow:
        area = access_area(uow, principal, code, Action.MANAGE_AREAS, with_geometry=True)
        sent = {k: v for k, v in asdict(changes).items() if v is not None}
        updated = replace(area, **sent)
        if updated != area:
            uow.areas.update([updated])
            uow.commit()
        return updated
