"""The authenticated actor and the grants it holds."""

from __future__ import annotations

from dataclasses import dataclass

from civicgrid.domain.access.roles import Role
from civicgrid.domain.areas.area import AreaPath


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    area_code: str
    area_path: AreaPath
    department: str = ""


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: int
    username: str
    grants: tuple[Grant, ...]

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(grant.role for grant in self.grants)


ROOT_PATH: AreaPath = "/"


def local_operator() -> Principal:
    """Whoever runs the CLI on the server: it holds the database already, so it sees all."""
    return Principal(
        user_id=0,
        username="local operator",
        grants=(Grant(role=Role.CITY_ADMIN, area_code="", area_path=ROOT_PATH),),
    )
