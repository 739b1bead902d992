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
from tests.fixtures import Clock
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
