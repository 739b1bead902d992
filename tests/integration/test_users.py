from __future__ import annotations

import pytest

from civicgrid.bootstrap import Container
from civicgrid.domain.access import Role
from civicgrid.domain.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from civicgrid.services import users
from civicgrid.services.area_import import import_areas
from tests.factories import small_city

PASSWORD = "correct horse battery"


@pytest.fixture
def city(container: Container) -> Container:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    return container


def test_passwords_are_stored_as_argon2id_hashes_and_verify(city: Container) -> None:
    users.add_user(city.uow(), city.hasher, "wang.wei", PASSWORD, now=city.clock())
    with city.uow() as uow:
        stored = uow.users.get_by_username("wang.wei")
    assert stored is not None
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash
    principal = users.authenticate_password(city.uow(), city.hasher, "wang.wei", PASSWORD)
    assert principal.username == "wang.wei"


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(city: Container) -> None:
    users.add_user(city.uow(), city.hasher, "wang.wei", PASSWORD, now=city.clock())
    with pytest.raises(Unauthenticated, match="wrong username or password"):
        users.authenticate_password(city.uow(), city.hasher, "wang.wei", "not the password")
    with pytest.raises(Unauthenticated, match="wrong username or password"):
        users.authenticate_password(city.uow(), city.hasher, "nobody", PASSWORD)


def test_a_duplicate_username_is_a_conflict(city: Container) -> None:
    users.add_user(city.uow(), city.hasher, "wang.wei", PASSWORD, now=city.clock())
    with pytest.raises(Conflict):
        users.add_user(city.uow(), city.hasher, "wang.wei", PASSWORD, now=city.clock())


def test_a_short_password_is_refused(city: Container) -> None:
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        users.add_user(city.uow(), city.hasher, "li.na", "short", now=city.clock())


def test_a_role_is_granted_only_at_its_level(city: Container) -> None:
    users.add_user(city.uow(), city.hasher, "li.na", PASSWORD, now=city.clock())
    with pytest.raises(InvalidInput, match="granted at a micro-grid, not at a street"):
        users.grant_role(city.uow(), "li.na", Role.GRID_WORKER, "410102001", now=city.clock())
    grant = users.grant_role(
        city.uow(), "li.na", Role.GRID_WORKER, "41010200100100101", now=city.clock()
    )
    assert (
        grant.area_path
        == "/410100/410102/410102001/410102001001/410102001001001/41010200100100101/"
    )


def test_a_department_handler_needs_a_department(city: Container) -> None:
    users.add_user(city.uow(), city.hasher, "zhao.lei", PASSWORD, now=city.clock())
    with pytest.raises(InvalidInput, match="needs a department"):
        users.grant_role(
            city.uow(), "zhao.lei", Role.DEPARTMENT_HANDLER, "410102", now=city.clock()
        )


def test_a_token_authenticates_until_it_is_revoked(city: Container) -> None:
    users.add_user(city.uow(), city.hasher, "li.na", PASSWORD, now=city.clock())
    users.grant_role(city.uow(), "li.na", Role.STREET_OFFICER, "410102001", now=city.clock())
    issued = users.create_token(city.uow(), "li.na", "phone", now=city.clock())
    principal = users.authenticate_token(city.uow(), issued.token)
    assert [g.area_code for g in principal.grants] == ["410102001"]
    with city.uow() as uow:
        assert uow.users.user_id_for_token(issued.token) is None  # only the digest is stored
    users.revoke_token(city.uow(), "li.na", "phone", now=city.clock())
    with pytest.raises(Unauthenticated, match="unknown or revoked"):
        users.authenticate_token(city.uow(), issued.token)


def test_revoking_a_token_that_does_not_exist_says_so(city: Container) -> None:
    users.add_user(city.uow(), city.hasher, "li.na", PASSWORD, now=city.clock())
    with pytest.raises(NotFound, match="no live token named phone"):
        users.revoke_token(city.uow(), "li.na", "phone", now=city.clock())
