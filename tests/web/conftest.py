"""Web page fixtures: the citizen world (small city and its staff) behind a TestClient,
with a clock the test moves, on each engine; `shared_client` for pages that only read."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from civicgrid.api.app import create_app
from civicgrid.bootstrap import Container
from tests.api.conftest import (  # noqa: F401 - fixtures: one city per module, for pages that only read
    shared_city,
    shared_client,
    shared_database_url,
)
from tests.fixtures import Clock, PlainHasher
from tests.integration.citizen_world import MONDAY_9AM, CitizenWorld, build_world

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE = re.compile(r'id="tracking-code">([0-9A-Z-]+)<')


@pytest.fixture
def world(container: Container) -> CitizenWorld:
    container.clock = Clock(MONDAY_9AM)
    return build_world(container)


@pytest.fixture
def web(world: CitizenWorld) -> Iterator[TestClient]:
    with TestClient(create_app(container=world.container)) as client:
        yield client


@pytest.fixture
def reader(shared_client: TestClient) -> TestClient:  # noqa: F811 - the imported fixture
    """The module's client, with no cookie left from an earlier test."""
    shared_client.cookies.clear()
    return shared_client


def csrf_token(html: str) -> str:
    found = TOKEN.search(html)
    assert found is not None, "the page has no form token"
    return found[1]


def tracking_code(html: str) -> str:
    found = CODE.search(html)
    assert found is not None, "the page shows no tracking code"
    return found[1]


STAFF_PASSWORD = "long enough password"  # what citizen_world gives every staff member


@pytest.fixture
def staff_web(world: CitizenWorld) -> Iterator[TestClient]:
    """The citizen world's app, whose staff can sign in with STAFF_PASSWORD."""
    world.container.hasher = PlainHasher()
    with TestClient(create_app(container=world.container)) as client:
        yield client


def sign_in(client: TestClient, username: str, password: str = STAFF_PASSWORD) -> None:
    """Signs `client` in as `username` through the real sign-in form."""
    form = client.get("/staff/login")
    answer = client.post(
        "/staff/login",
        data={"csrf_token": csrf_token(form.text), "username": username, "password": password},
        follow_redirects=False,
    )
    assert answer.status_code == 303, f"{username} could not sign in: {answer.status_code}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run on SQLite only: they test what the pages do in a browser, and
    every page's storage is tested on both engines by the TestClient tests beside them.
    A browser test takes seconds, so the second engine would add minutes and prove
    nothing new."""
    kept, dropped = [], []
    for item in items:
        in_browser = item.path.name.startswith("test_browser")
        (dropped if in_browser and "[postgresql" in item.nodeid else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
