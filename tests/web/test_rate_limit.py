"""The citizen pages sit under the public rate limit: a flooding client gets 429."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient

from civicgrid.api.app import create_app
from tests.integration.citizen_world import CitizenWorld


def test_a_client_past_its_burst_gets_429_with_retry_after(world: CitizenWorld) -> None:
    strict = world.container.settings.model_copy(
        update={"public_rate_per_minute": 1.0, "public_rate_burst": 3}
    )
    container = replace(world.container, settings=strict)
    with TestClient(create_app(container=container)) as client:
        answers = [client.get("/citizen/report") for _ in range(5)]
        statuses = [answer.status_code for answer in answers]
        static = client.get("/static/css/site.css")

    assert statuses == [200, 200, 200, 429, 429]
    assert int(answers[3].headers["retry-after"]) >= 1
    assert static.status_code == 200  # the stylesheet is no page and is not counted
