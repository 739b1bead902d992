"""Set-up shared by the test layers: a throwaway PostgreSQL database, a pinned clock, and
people holding grants in the small city (with a hasher too cheap to slow tests down).

`tests/conftest.py` and `tests/api/conftest.py` build their database fixtures on
`throwaway_pg_database`; service tests create their people with `add_people` (and act
as them through `principals`); API tests open a `city_client` on the small city.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from civicgrid.adapters.db import migrate
from civicgrid.api.app import create_app
from civicgrid.bootstrap import Container
from civicgrid.domain.access import Principal, Role
from civicgrid.services import users
from civicgrid.services.area_import import import_areas
from tests.factories import centre_of, small_city

TEST_SECRET = secrets.token_hex(32)
IN_CI = os.environ.get("CI", "").lower() == "true"
PG_ADMIN_URL = os.environ.get(
    "CIVICGRID_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
MONDAY_9AM = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
MICRO = "41010200100100101"  # a micro-grid of district 410102 in `small_city()`
PASSWORD = "long enough password"


def service_missing(reason: str) -> None:
    """Fail in CI, skip visibly elsewhere."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true requires every service)")
    pytest.skip(reason)


@contextmanager
def throwaway_pg_database(
    *, prefix: str = "civicgrid_test", migrated: bool = True
) -> Iterator[str]:
    """A PostgreSQL database of its own (migrated unless told not to), dropped afterwards."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any connection failure means "no server here"
        admin.dispose()
        service_missing(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc.__class__.__name__}")
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        if migrated:
            migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Clock:
    """A clock tests move by hand: `container.clock = clock`, then `clock.now += …`."""

    def __init__(self, now: datetime = MONDAY_9AM) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class PlainHasher:
    """Keeps passwords readable: for tests that sign in with tokens, never a password."""

    def hash(self, password: str) -> str:
        return "plain$" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "plain$" + password

    def needs_rehash(self, password_hash: str) -> bool:
        return False


Grant = tuple[Role | None, str] | tuple[Role | None, str, str]
"""(role, area code) or (role, area code, department); a None role grants nothing."""


def add_people(
    container: Container, grants: Mapping[str, Grant], *, now: datetime = MONDAY_9AM
) -> dict[str, str]:
    """A user for each name, with its grant, through the use cases; their API tokens."""
    tokens = {}
    for name, (role, code, *department) in grants.items():
        users.add_user(container.uow(), PlainHasher(), name, PASSWORD, now=now)
        if role is not None:
            users.grant_role(
                container.uow(), name, role, code, now=now, department="".join(department)
            )
        tokens[name] = users.create_token(container.uow(), name, "tests", now=now).token
    return tokens


def principals(container: Container, tokens: Mapping[str, str]) -> dict[str, Principal]:
    """Who each token's user acts as, grants included."""
    return {
        name: users.authenticate_token(container.uow(), token) for name, token in tokens.items()
    }


CASE_WORKERS: dict[str, Grant] = {
    "inspector": (Role.GRID_WORKER, MICRO, ""),
    "acceptor": (Role.CASE_ACCEPTOR, "410102", ""),
    "leader": (Role.SHIFT_LEADER, "410102", ""),
    "dispatcher": (Role.DISPATCHER, "410102", ""),
    "handler": (Role.DEPARTMENT_HANDLER, "410102", "city_management"),
}
"""One person per stage of a district-410102 case, `handler` in city management."""


@dataclass
class CityClient:
    """A TestClient on the small city: its people's tokens, its pinned clock, and the
    centre of `MICRO`. Test modules subclass it with their own requests."""

    client: TestClient
    container: Container
    tokens: dict[str, str]
    clock: Clock
    lat: float
    lon: float

    def as_(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


C = TypeVar("C", bound=CityClient)


@contextmanager
def city_client(container: Container, grants: Mapping[str, Grant], kind: type[C]) -> Iterator[C]:
    """The small city imported, `grants` given out, the clock pinned; a client on the app."""
    clock = Clock()
    container.clock = clock
    areas = small_city()
    import_areas(container.uow(), areas, english_name=container.english_name)
    tokens = add_people(container, grants, now=clock.now)
    lat, lon = centre_of(next(area for area in areas if area.code == MICRO))
    with TestClient(create_app(container=container)) as client:
        yield kind(client, container, tokens, clock, lat, lon)
