"""The real PyPI client `georeport` against a live server on 127.0.0.1, in JSON and XML.

georeport makes four calls (service list, service definition, requests with every
filter it knows, one request); each is checked in both formats, and its errors raise.
It cannot POST, so requests are created with a plain form POST, as the spec shows.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import requests
from georeport import GeoReport

from civicgrid.bootstrap import Container
from tests.api.open311_helpers import GARBAGE, Open311City, open311_city
from tests.conftest import TEST_SECRET

pytestmark = pytest.mark.slow

JURISDICTION = "testcity.gov.cn"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def live(city: Container, tmp_path: Path) -> Iterator[tuple[str, Open311City]]:
    """`civicgrid`'s app under uvicorn on a free loopback port, on the test's database."""
    o311 = open311_city(city)
    port = _free_port()
    env = {
        **os.environ,
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
        "CIVICGRID_DATABASE_URL": city.settings.sqlalchemy_url,
        "CIVICGRID_DATA_DIR": str(city.settings.data_dir),
        "CIVICGRID_TICK_SECONDS": "0",
        "CIVICGRID_OPEN311_JURISDICTION": JURISDICTION,
    }
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and app
        [
            sys.executable,
            *("-m", "uvicorn", "civicgrid.api.app:create_app", "--factory"),
            *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"server exited: {(tmp_path / 'server.log').read_text()}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not come up in 30 s")
        yield f"{url}/open311/v2", o311
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _post(root: str, o311: Open311City, **extra: object) -> str:
    response = httpx.post(f"{root}/requests.json", data=o311.form(**extra))  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    request_id: str = response.json()[0]["service_request_id"]
    return request_id


def _as_list(value: object) -> list[dict[str, object]]:
    """xmltodict gives one element as a dict and several as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]  # type: ignore[list-item]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_every_georeport_call_works_against_the_live_server(
    live: tuple[str, Open311City], fmt: str
) -> None:
    root, o311 = live
    garbage = _post(root, o311, description="垃圾桶满了")
    water = _post(root, o311, service_code="event:0102", description="路面积水")
    client = GeoReport(root, jurisdiction=JURISDICTION, output_format=fmt)

    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    assert GARBAGE in codes
    assert len(codes) == len(o311.container.rules.tree.minors())
    garbage_service = next(s for s in services if s["service_code"] == GARBAGE)
    assert str(garbage_service["metadata"]).lower() == "true"

    definition = client.get_service_definition(GARBAGE)
    assert definition["service_code"] == GARBAGE
    attributes = (
        definition["attributes"]
        if fmt == "json"
        else _as_list(definition["attributes"]["attribute"])
    )
    assert {a["datatype"] for a in attributes} == {
        "string", "number", "datetime", "text", "singlevaluelist", "multivaluelist",
    }  # fmt: skip

    listed = _as_list(client.get_service_requests())
    assert [r["service_request_id"] for r in listed] == [water, garbage]

    now = datetime.now(UTC)
    window = {
        "start_date": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end_date": (now + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    filtered = _as_list(client.get_service_requests(service_code=GARBAGE, status="open", **window))
    assert [r["service_request_id"] for r in filtered] == [garbage]
    if fmt == "json":
        assert client.get_service_requests(status="closed") == []
    else:  # georeport cannot read an empty XML list (it indexes into None): check it raw
        empty = httpx.get(f"{root}/requests.xml", params={"status": "closed"})
        assert empty.text.endswith("<service_requests></service_requests>")
    by_ids = _as_list(client.get_service_requests(service_request_id=f"{garbage},{water}"))
    assert {r["service_request_id"] for r in by_ids} == {garbage, water}

    one = client.get_service_request(garbage)
    assert one["service_request_id"] == garbage
    assert one["status"] == "open"
    assert one["description"] == "垃圾桶满了"
    assert float(one["lat"]) == pytest.approx(o311.lat)
    assert float(one["long"]) == pytest.approx(o311.lon)
    assert one["requested_datetime"].endswith("Z")

    with pytest.raises(requests.HTTPError) as missing:
        client.get_service_request("999999")
    assert missing.value.response.status_code == 404
    with pytest.raises(requests.HTTPError) as unknown:
        client.get_service_definition("event:9999")
    assert unknown.value.response.status_code == 404


def test_georeport_for_another_jurisdiction_gets_404(live: tuple[str, Open311City]) -> None:
    root, _ = live
    client = GeoReport(root, jurisdiction="elsewhere.gov", output_format="xml")
    with pytest.raises(requests.HTTPError) as wrong:
        client.get_service_list()
    assert wrong.value.response.status_code == 404
