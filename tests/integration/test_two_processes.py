"""Two real server processes on one database and one NATS: the feed crosses between
them, and of their two schedulers only one acts on each tick.

The servers are `python -m uvicorn civicgrid.api.app:create_app --factory` on free
ports, configured only through CIVICGRID_* variables; users, areas and the overdue
cases are prepared through the use cases beforehand. Every wait is bounded, and the
servers are killed whatever happens.
"""

from __future__ import annotations

import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from civicgrid.bootstrap import Container
from civicgrid.domain.access import Role
from civicgrid.domain.cases.events import EventType
from civicgrid.domain.cases.stages import Source
from civicgrid.services import users
from civicgrid.services.area_import import import_areas
from civicgrid.services.cases.intake import ReportRequest, report_case
from tests.conftest import TEST_SECRET
from tests.factories import centre_of, small_city
from tests.fixtures import MICRO, add_people
from tests.integration.case_people import require_nats

pytestmark = pytest.mark.slow

TICK_SECONDS = 0.5
OVERDUE_CASES = 3
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}},
    "handlers": {"err": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "civicgrid": {"handlers": ["err"], "level": "DEBUG", "propagate": False},
        "uvicorn": {"handlers": ["err"], "level": "INFO", "propagate": False},
    },
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {seconds} s waiting for {what}")


class Server:
    def __init__(self, name: str, env: dict[str, str], workdir: Path) -> None:
        self.name = name
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"server-{name}.log"
        config = workdir / "log-config.json"
        config.write_text(json.dumps(LOG_CONFIG))
        command = [
            sys.executable,
            *("-m", "uvicorn", "civicgrid.api.app:create_app", "--factory"),
            *("--host", "127.0.0.1", "--port", str(self.port)),
            *("--log-config", str(config), "--timeout-graceful-shutdown", "2"),
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and app
                command, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def healthy(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"server {self.name} exited early:\n{self.log()}")
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class FeedReader(threading.Thread):
    """Reads the server-sent events of one server until the stream ends."""

    def __init__(self, url: str, token: str) -> None:
        super().__init__(daemon=True)
        self._url = url
        self._headers = {"Authorization": f"Bearer {token}"}
        self.subscribed = threading.Event()
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.failure: str | None = None

    def run(self) -> None:
        try:
            with (
                httpx.Client(timeout=httpx.Timeout(10, read=60)) as client,
                client.stream("GET", self._url, headers=self._headers) as response,
            ):
                if response.status_code != 200:
                    self.failure = f"feed answered {response.status_code}"
                    return
                for line in response.iter_lines():
                    if line == ": subscribed":
                        self.subscribed.set()
                    elif line.startswith("data: "):
                        self.events.put(json.loads(line.removeprefix("data: ")))
        except httpx.HTTPError as exc:  # the server went away at the end of the test
            self.failure = f"{exc.__class__.__name__}: {exc}"

    def next_where(
        self, wanted: Callable[[dict[str, Any]], bool], seconds: float
    ) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                break
            if wanted(event):
                return event
        pytest.fail(f"no matching feed event within {seconds} s ({self.failure or 'stream open'})")


def _token(container: Container, name: str, role: Role, code: str) -> str:
    return add_people(container, {name: (role, code)}, now=container.clock())[name]


@pytest.fixture
def servers(
    container: Container, database_url: str, tmp_path: Path
) -> Iterator[tuple[Server, Server]]:
    nats_url = require_nats()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVICGRID_")}
    env |= {
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
        "CIVICGRID_DATABASE_URL": database_url,
        "CIVICGRID_DATA_DIR": str(tmp_path / "var"),
        "CIVICGRID_FEED_URL": nats_url,
        "CIVICGRID_FEED_SUBJECT": f"civicgrid.test{uuid.uuid4().hex[:8]}",  # this test's own
        "CIVICGRID_TICK_SECONDS": str(TICK_SECONDS),
    }
    started: list[Server] = []
    try:
        started += [Server("a", env, tmp_path), Server("b", env, tmp_path)]
        for server in started:
            _wait_until(server.healthy, 30, f"server {server.name} to answer /healthz")
        yield started[0], started[1]
    finally:
        for server in started:
            server.stop()


def _report_overdue(container: Container, token: str, lat: float, lon: float) -> list[int]:
    """Cases reported a month ago, through the use case with an injected time."""
    inspector = users.authenticate_token(container.uow(), token)
    past = datetime.now(UTC) - timedelta(days=30)
    request = ReportRequest(
        category="event:0101",
        description="一个月前的垃圾",
        source=Source.GRID_WORKER,
        lat=lat,
        lon=lon,
    )
    return [
        report_case(
            container.uow(),
            container.locators,
            container.rules,
            inspector,
            request,
            now=past,
            snap_tolerance_m=50,
        ).case.id
        for _ in range(OVERDUE_CASES)
    ]


def _escalations(container: Container, case_ids: list[int]) -> dict[int, int]:
    with container.uow() as uow:
        return {
            case_id: sum(e.type is EventType.ESCALATED for e in uow.cases.events(case_id))
            for case_id in case_ids
        }


def test_two_servers_share_one_feed_and_escalate_each_case_once(
    container: Container, servers: tuple[Server, Server]
) -> None:
    server_a, server_b = servers
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    officer = _token(container, "district.officer", Role.DISTRICT_OFFICER, "410102")
    inspector = _token(container, "grid.worker", Role.GRID_WORKER, MICRO)
    lat, lon = centre_of(next(a for a in small_city() if a.code == MICRO))

    reader = FeedReader(f"{server_a.url}/api/v1/feed", officer)
    reader.start()
    try:
        assert reader.subscribed.wait(15), reader.failure or "the feed never subscribed"

        # 1. A case created on server B reaches the feed opened on server A.
        created = httpx.post(
            f"{server_b.url}/api/v1/cases",
            json={"category": "event:0101", "description": "路边垃圾", "lat": lat, "lon": lon},
            headers={"Authorization": f"Bearer {inspector}"},
            timeout=30,
        )
        assert created.status_code == 201, created.text
        case_id = created.json()["id"]
        heard = reader.next_where(lambda e: e["case_id"] == case_id, seconds=5)
        assert (heard["kind"], heard["area_code"]) == ("reported", MICRO)

        # 2. Overdue cases: both schedulers tick, one escalates each case, once.
        overdue = _report_overdue(container, inspector, lat, lon)
        _wait_until(lambda: all(_escalations(container, overdue).values()), 30, "the escalations")
        time.sleep(6 * TICK_SECONDS)  # more ticks of both servers, which must change nothing
        assert _escalations(container, overdue) == dict.fromkeys(overdue, 1)
        escalated_on_feed = [
            reader.next_where(lambda e: e["kind"] == "escalated", seconds=5)["case_id"]
            for _ in overdue
        ]
        assert sorted(escalated_on_feed) == sorted(overdue)
    finally:
        for server in servers:
            server.stop()  # ends the stream, and with it the reader
        reader.join(10)

    logs = {server.name: server.log() for server in servers}
    for name, log in logs.items():  # both processes ran their scheduler
        assert re.search(r"tick by \S+: ", log), f"server {name} never ticked:\n{log}"
    acted = {
        name: sum(int(n) for n in re.findall(r"escalated (\d+) case", log))
        for name, log in logs.items()
    }
    assert sorted(acted.values()) == [0, OVERDUE_CASES], acted  # one process did it all
    assert any("another process holds the lease" in log for log in logs.values())
