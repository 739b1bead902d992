"""API fixtures: the small city imported, a TestClient, and one user per role.

Per test, on `container` (so on each engine): `city`, `client` and `accounts`.
Per test module and engine: `shared_city`, `shared_client` and `shared_accounts`, on a
database of the module's own that no other test truncates; for tests that only read,
and for the access matrix, which would otherwise import the city 2,000 times.

Expectations are computed here from the factory's parent links (`path_of`, `within`,
`below`), never by asking the application.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from civicgrid.adapters.db import migrate
from civicgrid.api.app import create_app
from civicgrid.bootstrap import Container, bootstrap
from civicgrid.config import Settings
from civicgrid.domain.access import Role
from civicgrid.domain.areas import Level
from civicgrid.services import users
from civicgrid.services.area_import import import_areas
from tests.factories import small_city
from tests.fixtures import TEST_SECRET, throwaway_pg_database

if TYPE_CHECKING:
    import httpx

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"


class CheapArgon2:
    """argon2id at its cheapest parameters: real hashes, a fraction of a millisecond each.

    The production cost (~0.2 s a hash) would dominate tests that create eight users.
    """

    def __init__(self) -> None:
        self._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


@dataclass(frozen=True, slots=True)
class Member:
    """A user of the test city: a role granted at one area, or no grant at all."""

    username: str
    role: Role | None = None
    area: str = ""
    department: str = ""


MEMBERS = {
    "city_admin": Member("city.admin", Role.CITY_ADMIN, "410100"),
    "leader": Member("leader", Role.LEADER, "410103"),
    "district_officer": Member("district.officer", Role.DISTRICT_OFFICER, "410102"),
    "street_officer": Member("street.officer", Role.STREET_OFFICER, "410102001"),
    "community_officer": Member("community.officer", Role.COMMUNITY_OFFICER, "410102001001"),
    "grid_worker": Member("grid.worker", Role.GRID_WORKER, "41010200100100101"),
    "department_handler": Member(
        "department.handler", Role.DEPARTMENT_HANDLER, "410102", department="城市管理局"
    ),
    "no_grants": Member("no.grants"),
}


class Accounts:
    """Creates each member on first use, through the user use cases, and keeps its token."""

    def __init__(self, container: Container) -> None:
        self._container = container
        self._hasher = CheapArgon2()
        self._tokens: dict[str, str] = {}

    def token(self, key: str) -> str:
        if key not in self._tokens:
            self._tokens[key] = self._create(MEMBERS[key])
        return self._tokens[key]

    def headers(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(key)}"}

    def revoke(self, key: str) -> None:
        self.token(key)
        users.revoke_token(
            self._container.uow(), MEMBERS[key].username, "tests", now=self._container.clock()
        )

    def _create(self, member: Member) -> str:
        c = self._container
        users.add_user(c.uow(), self._hasher, member.username, PASSWORD, now=c.clock())
        if member.role is not None:
            users.grant_role(
                c.uow(),
                member.username,
                member.role,
                member.area,
                now=c.clock(),
                department=member.department,
            )
        return users.create_token(c.uow(), member.username, "tests", now=c.clock()).token


AREAS = {area.code: area for area in small_city()}


def path_of(code: str) -> str:
    """The materialized path "/410100/…/code/", rebuilt from the factory's parent links."""
    chain = [code]
    while (parent := AREAS[chain[0]].parent_code) is not None:
        chain.insert(0, parent)
    return "/" + "/".join(chain) + "/"


def chain_of(code: str) -> list[str]:
    """Codes from the city down to `code`."""
    return path_of(code).strip("/").split("/")


def within(code: str, root: str) -> bool:
    """Whether `code` is `root` or lies below it: `root`'s path is a prefix of `code`'s."""
    return path_of(code).startswith(path_of(root))


def below(root: str, level: Level | None = None) -> list[str]:
    """`root` and its descendants (at `level` only, if given), in path order."""
    found = [c for c in AREAS if within(c, root) and (level is None or AREAS[c].level is level)]
    return sorted(found, key=path_of)


ALIASES = {"410102001": "410102901", "410103001": "410103901"}
"""Old codes kept as aliases: one inside district 410102, one outside it."""


def load_small_city(container: Container) -> Container:
    """Import `small_city()`, two of its streets also known by an alias code."""
    areas = [
        replace(area, aliases=(ALIASES[area.code],)) if area.code in ALIASES else area
        for area in small_city()
    ]
    import_areas(container.uow(), areas, english_name=container.english_name)
    return container


def assert_error(
    response: httpx.Response, status: int, code: str, *mentions: str, field: str | None = None
) -> dict[str, Any]:
    """The one error shape, exactly, with a message naming each of `mentions`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "field"}
    assert (error["status"], error["code"], error["field"]) == (status, code, field)
    assert isinstance(error["message"], str)
    for mention in mentions:
        assert mention in error["message"]
    return error


@pytest.fixture
def city(container: Container) -> Container:
    """The per-test container with the small city imported."""
    return load_small_city(container)


@pytest.fixture
def client(city: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container=city)) as test_client:
        yield test_client


@pytest.fixture
def accounts(city: Container) -> Accounts:
    return Accounts(city)


# Module-scoped: one database per engine and test module, built once.


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def shared_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database of this module's own, dropped afterwards."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'test.sqlite3'}"
        migrate.upgrade(url)
        yield url
        return
    with throwaway_pg_database() as pg_url:
        yield pg_url


@pytest.fixture(scope="module")
def shared_city(
    shared_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Container]:
    data_dir: Path = tmp_path_factory.mktemp("var")
    settings = Settings(
        env="test", secret_key=TEST_SECRET, database_url=shared_database_url, data_dir=data_dir
    )
    built = load_small_city(bootstrap(settings))
    yield built
    built.dispose()


@pytest.fixture(scope="module")
def shared_client(shared_city: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container=shared_city)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def shared_accounts(shared_city: Container) -> Accounts:
    return Accounts(shared_city)
