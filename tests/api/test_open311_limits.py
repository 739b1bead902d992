"""Public endpoints are rate-limited per client with 429 and Retry-After; staff ones are
not. Bodies have size limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from civicgrid.api.app import create_app
from civicgrid.bootstrap import Container
from tests.api.conftest import Accounts
from tests.api.open311_helpers import errors_of, open311_city


@pytest.fixture
def limited(city: Container) -> Iterator[TestClient]:
    city.settings.public_rate_per_minute = 6  # one every ten seconds
    city.settings.public_rate_burst = 3
    with TestClient(create_app(container=city)) as client:
        yield client


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_client_over_its_budget_gets_429_with_retry_after(limited: TestClient, fmt: str) -> None:
    answers = [limited.get(f"/open311/v2/services.{fmt}") for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    [error] = errors_of(answers[3], fmt, 429)
    assert "retry" in error["description"]
    assert int(answers[3].headers["retry-after"]) >= 1


def test_citizen_pages_share_the_public_budget(limited: TestClient) -> None:
    for _ in range(3):
        limited.get("/open311/v2/discovery.json")
    response = limited.get("/citizen/")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"


def test_staff_endpoints_are_never_limited(limited: TestClient, city: Container) -> None:
    accounts = Accounts(city)
    headers = accounts.headers("city_admin")
    for _ in range(4):
        limited.get("/open311/v2/services.json")
    statuses = {limited.get("/api/v1/cases", headers=headers).status_code for _ in range(10)}
    assert statuses == {200}
    assert limited.get("/healthz").status_code == 200


def test_an_oversized_form_body_is_413(client: TestClient, city: Container) -> None:
    o311 = open311_city(city)
    body = o311.form(description="x" * (city.settings.max_body_bytes + 10))
    response = client.post("/open311/v2/requests.json", data=body)  # type: ignore[arg-type]
    assert response.status_code == 413
