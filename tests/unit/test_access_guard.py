from __future__ import annotations

import pytest

from civicgrid.domain.access import Action, Grant, Principal, Role, authorize, scopes_for
from civicgrid.domain.access.principal import local_operator
from civicgrid.domain.errors import Forbidden

DISTRICT = "/410100/410105/"
STREET = "/410100/410105/410105001/"
OTHER_DISTRICT = "/410100/410102/"


def principal(*grants: Grant) -> Principal:
    return Principal(user_id=1, username="u", grants=grants)


def test_an_officer_may_read_and_operate_anywhere_below_their_area() -> None:
    officer = principal(Grant(Role.DISTRICT_OFFICER, "410105", DISTRICT))
    authorize(officer, Action.READ, STREET + "410105001002/", "x")
    authorize(officer, Action.OPERATE, DISTRICT, "x")


def test_an_officer_may_not_touch_a_sibling_district() -> None:
    officer = principal(Grant(Role.DISTRICT_OFFICER, "410105", DISTRICT))
    with pytest.raises(Forbidden, match="outside their jurisdiction"):
        authorize(officer, Action.READ, OTHER_DISTRICT, "area 410102")


def test_an_officer_may_not_act_above_their_area() -> None:
    officer = principal(Grant(Role.STREET_OFFICER, "410105001", STREET))
    with pytest.raises(Forbidden):
        authorize(officer, Action.READ, DISTRICT, "area 410105")


def test_a_code_prefix_is_not_mistaken_for_an_ancestor() -> None:
    # 4101050010 starts with 410105001 as text, but it is not below that street.
    officer = principal(Grant(Role.STREET_OFFICER, "410105001", STREET))
    with pytest.raises(Forbidden):
        authorize(officer, Action.READ, "/410100/410105/4101050010/", "x")


def test_a_leader_reads_but_never_changes() -> None:
    leader = principal(Grant(Role.LEADER, "410105", DISTRICT))
    authorize(leader, Action.READ, STREET, "x")
    for action in (Action.OPERATE, Action.MANAGE_AREAS, Action.ADMINISTER):
        with pytest.raises(Forbidden):
            authorize(leader, action, STREET, "x")


def test_a_grid_worker_cannot_manage_areas() -> None:
    worker = principal(Grant(Role.GRID_WORKER, "41010500100200301", STREET + "x/"))
    with pytest.raises(Forbidden):
        authorize(worker, Action.MANAGE_AREAS, STREET + "x/", "x")


def test_nested_grants_collapse_to_the_outermost_scope() -> None:
    both = principal(
        Grant(Role.STREET_OFFICER, "410105001", STREET),
        Grant(Role.LEADER, "410105", DISTRICT),
        Grant(Role.LEADER, "410102", OTHER_DISTRICT),
    )
    assert scopes_for(both, Action.READ) == (OTHER_DISTRICT, DISTRICT)
    assert scopes_for(both, Action.OPERATE) == (STREET,)


def test_the_local_operator_sees_everything() -> None:
    authorize(local_operator(), Action.ADMINISTER, OTHER_DISTRICT, "x")


def test_a_user_without_grants_may_do_nothing() -> None:
    with pytest.raises(Forbidden):
        authorize(principal(), Action.READ, DISTRICT, "x")
