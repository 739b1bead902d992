"""The one place that decides whether an actor may act on an area.

Every use case that touches an area calls `authorize`; every listing filters by
`scopes_for`. Handlers never check roles themselves.
"""

from __future__ import annotations

from civicgrid.domain.access.principal import Principal
from civicgrid.domain.access.roles import Action
from civicgrid.domain.areas.area import AreaPath, is_within
from civicgrid.domain.errors import OutsideJurisdiction


def scopes_for(principal: Principal, action: Action) -> tuple[AreaPath, ...]:
    """The subtree roots where `principal` may perform `action`, without nested duplicates."""
    roots = sorted({g.area_path for g in principal.grants if action in g.role.actions})
    kept: list[AreaPath] = []
    for root in roots:
        if not any(is_within(root, outer) for outer in kept):
            kept.append(root)
    return tuple(kept)


def readable_scopes(principal: Principal) -> tuple[AreaPath, ...]:
    return scopes_for(principal, Action.READ)


def authorize(principal: Principal, action: Action, path: AreaPath, what: str) -> None:
    """Raise OutsideJurisdiction unless `path` lies in a subtree where `principal` may `action`."""
    if any(is_within(path, scope) for scope in scopes_for(principal, action)):
        return
    raise OutsideJurisdiction(
        f"{principal.username} may not {action.value} {what}: outside their jurisdiction"
    )
