"""Roles, the level each is granted at, and the actions each allows."""

from __future__ import annotations

from enum import StrEnum

from civicgrid.domain.areas.levels import Level


class Action(StrEnum):
    READ = "read"
    OPERATE = "operate"  # day-to-day work: report, handle, sign, submit
    MANAGE_AREAS = "manage_areas"  # edit area details inside one's subtree
    ADMINISTER = "administer"  # import the hierarchy, manage users


class Role(StrEnum):
    GRID_WORKER = "grid_worker"
    COMMUNITY_OFFICER = "community_officer"
    STREET_OFFICER = "street_officer"
    DISTRICT_OFFICER = "district_officer"
    DEPARTMENT_HANDLER = "department_handler"
    CASE_ACCEPTOR = "case_acceptor"
    SHIFT_LEADER = "shift_leader"
    DISPATCHER = "dispatcher"
    LEADER = "leader"
    CITY_ADMIN = "city_admin"

    @property
    def name_zh(self) -> str:
        return _ZH[self]

    @property
    def levels(self) -> frozenset[Level]:
        """Levels of the area a grant of this role may be attached to."""
        return _LEVELS[self]

    @property
    def actions(self) -> frozenset[Action]:
        return _ACTIONS[self]


_ZH = {
    Role.GRID_WORKER: "网格员",
    Role.COMMUNITY_OFFICER: "社区干部",
    Role.STREET_OFFICER: "街道干部",
    Role.DISTRICT_OFFICER: "区干部",
    Role.DEPARTMENT_HANDLER: "专业部门处置人员",
    Role.CASE_ACCEPTOR: "受理员",
    Role.SHIFT_LEADER: "值班长",
    Role.DISPATCHER: "派遣员",
    Role.LEADER: "领导",
    Role.CITY_ADMIN: "市级管理员",
}

_ANY_ABOVE_GRID = frozenset({Level.CITY, Level.DISTRICT, Level.STREET, Level.COMMUNITY})

_LEVELS = {
    Role.GRID_WORKER: frozenset({Level.MICRO_GRID}),
    Role.COMMUNITY_OFFICER: frozenset({Level.COMMUNITY}),
    Role.STREET_OFFICER: frozenset({Level.STREET}),
    Role.DISTRICT_OFFICER: frozenset({Level.DISTRICT}),
    Role.DEPARTMENT_HANDLER: frozenset({Level.CITY, Level.DISTRICT, Level.STREET}),
    # The command-centre positions of digital city management sit at city, district
    # or street level.
    Role.CASE_ACCEPTOR: frozenset({Level.CITY, Level.DISTRICT, Level.STREET}),
    Role.SHIFT_LEADER: frozenset({Level.CITY, Level.DISTRICT, Level.STREET}),
    Role.DISPATCHER: frozenset({Level.CITY, Level.DISTRICT, Level.STREET}),
    Role.LEADER: _ANY_ABOVE_GRID,
    Role.CITY_ADMIN: frozenset({Level.CITY}),
}

_OFFICER = frozenset({Action.READ, Action.OPERATE, Action.MANAGE_AREAS})

_ACTIONS = {
    Role.GRID_WORKER: frozenset({Action.READ, Action.OPERATE}),
    Role.COMMUNITY_OFFICER: _OFFICER,
    Role.STREET_OFFICER: _OFFICER,
    Role.DISTRICT_OFFICER: _OFFICER,
    Role.DEPARTMENT_HANDLER: frozenset({Action.READ, Action.OPERATE}),
    Role.CASE_ACCEPTOR: frozenset({Action.READ, Action.OPERATE}),
    Role.SHIFT_LEADER: frozenset({Action.READ, Action.OPERATE}),
    Role.DISPATCHER: frozenset({Action.READ, Action.OPERATE}),
    Role.LEADER: frozenset({Action.READ}),
    Role.CITY_ADMIN: frozenset(Action),
}
