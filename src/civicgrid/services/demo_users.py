"""Demo users, one per role, so the demo can be tried at once.

Passwords are random per installation and handed back to the caller, never fixed
in code.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.access import Role, local_operator
from civicgrid.domain.areas import Level
from civicgrid.services.areas import list_subtree
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.users import PasswordHasher, add_user, create_token, grant_role

CITY = "410100"
DISTRICT = "410105"  # 金水区


@dataclass(frozen=True, slots=True)
class DemoCredential:
    username: str
    role: str
    area_code: str
    password: str
    token: str


def _first_below(uow: UnitOfWork, code: str, level: Level) -> str:
    found = list_subtree(uow, local_operator(), code, level=level, page_size=1)
    return found.items[0].code


def ensure_demo_users(
    uow: UnitOfWork, hasher: PasswordHasher, *, now: datetime
) -> list[DemoCredential]:
    """Create the demo users that do not exist yet; return their credentials."""
    street = _first_below(uow, DISTRICT, Level.STREET)
    community = _first_below(uow, street, Level.COMMUNITY)
    micro_grid = _first_below(uow, community, Level.MICRO_GRID)
    wanted = [
        ("admin", Role.CITY_ADMIN, CITY, ""),
        ("leader", Role.LEADER, CITY, ""),
        ("jinshui", Role.DISTRICT_OFFICER, DISTRICT, ""),
        ("street", Role.STREET_OFFICER, street, ""),
        ("community", Role.COMMUNITY_OFFICER, community, ""),
        ("gridworker", Role.GRID_WORKER, micro_grid, ""),
        ("chengguan", Role.DEPARTMENT_HANDLER, DISTRICT, "city_management"),
        ("acceptor", Role.CASE_ACCEPTOR, DISTRICT, ""),
        ("shiftleader", Role.SHIFT_LEADER, DISTRICT, ""),
        ("dispatcher", Role.DISPATCHER, DISTRICT, ""),
    ]
    created: list[DemoCredential] = []
    for username, role, area_code, department in wanted:
        with uow:
            exists = uow.users.get_by_username(username) is not None
        if exists:
            continue
        password = secrets.token_urlsafe(12)
        add_user(uow, hasher, username, password, now=now, display_name=f"demo {role.name_zh}")
        grant_role(uow, username, role, area_code, now=now, department=department)
        token = create_token(uow, username, "demo", now=now).token
        created.append(DemoCredential(username, role.value, area_code, password, token))
    return created
