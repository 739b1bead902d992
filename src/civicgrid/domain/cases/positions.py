"""Which workflow position each access role holds."""

from __future__ import annotations

from civicgrid.domain.access import Principal, Role
from civicgrid.domain.access.principal import Grant
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.cases.roles import Position

POSITION_OF_ROLE: dict[Role, Position] = {
    Role.GRID_WORKER: Position.INSPECTOR,
    Role.CASE_ACCEPTOR: Position.ACCEPTOR,
    Role.SHIFT_LEADER: Position.SHIFT_LEADER,
    Role.DISPATCHER: Position.DISPATCHER,
    Role.DEPARTMENT_HANDLER: Position.HANDLER,
}
"""Officers, leaders and administrators watch the workflow; they hold no position in it."""


def positions_at(
    principal: Principal, path: AreaPath, department: str | None = None
) -> dict[Position, Grant]:
    """The positions `principal` holds for a case at `path`.

    A handler holds its position only for cases dispatched to its own department.
    """
    held: dict[Position, Grant] = {}
    for grant in principal.grants:
        position = POSITION_OF_ROLE.get(grant.role)
        if position is None or not is_within(path, grant.area_path):
            continue
        if (
            position is Position.HANDLER
            and department is not None
            and grant.department != department
        ):
            continue
        held.setdefault(position, grant)
    return held
