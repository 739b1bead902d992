"""civicgrid open311: keys are issued once and revoked; queued requests are placed or rejected."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from civicgrid.api.app import create_app
from civicgrid.bootstrap import Container
from civicgrid.cli.main import app
from civicgrid.domain.errors import Forbidden
from civicgrid.services.area_import import import_areas
from civicgrid.services.open311_keys import check_api_key
from tests.conftest import TEST_SECRET
from tests.factories import small_city

MICRO = "41010200100100101"


@pytest.fixture
def run(container: Container, tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {
        "CIVICGRID_DATABASE_URL": container.settings.sqlalchemy_url,
        "CIVICGRID_DATA_DIR": str(container.settings.data_dir),
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
    }
    runner = CliRunner(env=env)
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


def test_a_key_is_shown_once_works_and_stops_working_when_revoked(
    run, container: Container
) -> None:  # type: ignore[no-untyped-def]
    added = run("open311", "keys", "add", "fixmystreet")
    assert added.exit_code == 0, added.output
    key = added.output.strip().splitlines()[-1]
    assert key.startswith("o311_")
    assert check_api_key(container.uow(), key).name == "fixmystreet"
    again = run("open311", "keys", "add", "fixmystreet")
    assert again.exit_code == 2
    listed = run("open311", "keys", "list")
    assert "fixmystreet" in listed.output
    assert "live" in listed.output
    assert key not in listed.output
    assert run("open311", "keys", "revoke", "fixmystreet").exit_code == 0
    with pytest.raises(Forbidden):
        check_api_key(container.uow(), key)
    assert run("open311", "keys", "revoke", "fixmystreet").exit_code == 2


def test_bad_key_names_are_refused(run) -> None:  # type: ignore[no-untyped-def]
    result = run("open311", "keys", "add", "has space")
    assert result.exit_code == 2


def test_a_queued_request_is_placed_by_staff_and_its_token_follows(
    run, container: Container
) -> None:  # type: ignore[no-untyped-def]
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    key = run("open311", "keys", "add", "fms").output.strip().splitlines()[-1]
    with TestClient(create_app(container=container)) as api:
        body = {
            "api_key": key,
            "service_code": "event:0101",
            "address_string": "文化路 8 号",
            "attribute[DANGER]": "no",
        }
        first = api.post("/open311/v2/requests.json", data=body).json()[0]["token"]
        second = api.post("/open311/v2/requests.json", data=body).json()[0]["token"]
        listed = run("open311", "queue", "list")
        assert first in listed.output
        assert second in listed.output
        accepted = run("open311", "queue", "accept", first, "--area", MICRO)
        assert accepted.exit_code == 0, accepted.output
        assert run("open311", "queue", "accept", first, "--area", MICRO).exit_code == 2
        assert run("open311", "queue", "reject", second, "--reason", "地址不在本市").exit_code == 0
        placed = api.get(f"/open311/v2/tokens/{first}.json").json()[0]
        rejected = api.get(f"/open311/v2/tokens/{second}.json").json()[0]
    assert placed["service_request_id"].isdigit()
    assert rejected["service_request_id"] is None
    assert first not in run("open311", "queue", "list").output
