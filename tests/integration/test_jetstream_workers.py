"""Two workers on JetStream partitions raise the alerts one process raises on the stream."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

import nats
import pytest

from civicgrid.adapters.jetstream_readings import (
    consume_partition,
    ensure_stream,
    partition_of,
    publish_readings,
)
from civicgrid.adapters.reading_codec import WireReading
from civicgrid.bootstrap import Container, alert_pipeline
from civicgrid.domain.access import local_operator
from civicgrid.domain.alerts import AlertEngine, EventKind
from civicgrid.services.ingest import PipelineSettings
from civicgrid.services.sensors import SensorDraft, register_sensors
from tests.fixtures import TEST_SECRET
from tests.integration.case_people import require_nats
from tests.integration.iot_world import T0, build_world

SENSORS = [f"WL-J{i}" for i in range(8)]


def _owner(partition: int) -> Callable[[str], bool]:
    return lambda sensor_id: partition_of(sensor_id, 2) == partition


def _stream() -> list[WireReading]:
    """A storm: sensor i floods from minute 5 + i to minute 20 + i, then drains."""
    readings = []
    for minute in range(40):
        for i, sensor in enumerate(SENSORS):
            level = 0.4 if 5 + i <= minute < 20 + i else 0.01
            readings.append(
                WireReading(sensor, (T0 + timedelta(minutes=minute)).timestamp(), level)
            )
    return readings


def test_two_workers_give_the_alerts_of_one_process(container: Container) -> None:
    url = require_nats()
    world = build_world(container, max_lateness=timedelta(days=1))
    drafts = [
        SensorDraft(s, "water_level_underpass", world.lon, world.lat, "water_affairs")
        for s in SENSORS
    ]
    register_sensors(
        container.iot_uow(),
        container.locators,
        local_operator(),
        drafts,
        now=T0 - timedelta(hours=1),
        snap_tolerance_m=50,
    )
    container.clock = lambda: T0 + timedelta(hours=1)
    stream = _stream()
    assert {partition_of(s, 2) for s in SENSORS} == {0, 1}  # both partitions have work

    prefix = f"t{uuid.uuid4().hex[:8]}"
    workers = {
        p: alert_pipeline(
            container,
            PipelineSettings(
                partition=f"p{p}",
                max_lateness=timedelta(days=1),
                owns=_owner(p),
            ),
        )
        for p in (0, 1)
    }
    for pipeline in workers.values():
        pipeline.start(container.clock())

    with container.iot_uow() as uow:
        sensors = [s for s in uow.sensors.all() if s.id in SENSORS]
    single = AlertEngine(workers[0].rules, sensors)  # one process, same rules
    expected = sorted(
        (e.sensor_id, e.rule_id, e.at, int(e.severity or 0))
        for e in single.evaluate_readings([(r.sensor, float(r.ts), r.value) for r in stream]).events  # type: ignore[arg-type]
        if e.kind is EventKind.FIRE
    )
    assert len(expected) >= len(SENSORS)

    async def run() -> None:
        client = await nats.connect(url)
        js = client.jetstream()
        await ensure_stream(js, prefix.upper(), prefix)
        for minute in range(0, len(stream), len(SENSORS)):
            await publish_readings(js, prefix, stream[minute : minute + len(SENSORS)], 2)
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(
                consume_partition(
                    js,
                    prefix.upper(),
                    prefix,
                    p,
                    workers[p],
                    container.clock,
                    stop,
                    durable=f"{prefix}-p{p}",
                )
            )
            for p in (0, 1)
        ]
        for _ in range(200):
            with container.iot_uow() as uow:
                if uow.readings.count() >= len(stream):
                    break
            await asyncio.sleep(0.1)
        stop.set()
        await asyncio.gather(*tasks)
        await js.delete_stream(prefix.upper())
        await client.close()

    asyncio.run(run())
    with container.iot_uow() as uow:
        assert uow.readings.count() == len(stream)
        stored = uow.alerts.within(["/"], active=None, offset=0, limit=500).items
    got = sorted((a.sensor_id, a.rule_id, a.fired_at, a.severity) for a in stored)
    assert got == expected


def _count(container: Container) -> int:
    with container.iot_uow() as uow:
        return uow.readings.count()


@pytest.mark.slow
def test_a_worker_killed_with_sigkill_resumes_with_no_lost_and_no_duplicated_alerts(
    container: Container,
) -> None:
    url = require_nats()
    world = build_world(container)
    drafts = [
        SensorDraft(s, "water_level_underpass", world.lon, world.lat, "water_affairs")
        for s in SENSORS
    ]
    register_sensors(
        container.iot_uow(),
        container.locators,
        local_operator(),
        drafts,
        now=T0 - timedelta(hours=1),
        snap_tolerance_m=50,
    )
    rules = alert_pipeline(container).rules
    with container.iot_uow() as uow:
        sensors = [s for s in uow.sensors.all() if s.id in SENSORS]
    stream = _stream()
    single = AlertEngine(rules, sensors)
    expected = sorted(
        (e.sensor_id, e.rule_id, e.at, int(e.severity or 0))
        for e in single.evaluate_readings([(r.sensor, float(r.ts), r.value) for r in stream]).events  # type: ignore[arg-type]
        if e.kind is EventKind.FIRE
    )
    prefix = f"k{uuid.uuid4().hex[:8]}"
    env = os.environ | {
        "CIVICGRID_DATABASE_URL": container.settings.database_url,
        "CIVICGRID_DATA_DIR": str(container.settings.data_dir),
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
    }
    command = [
        sys.executable,
        "-c",
        "from civicgrid.cli.main import main; main()",
        "worker",
        "--partitions",
        "0,1",
        "--of",
        "2",
        "--prefix",
        prefix,
        "--stream",
        prefix.upper(),
        "--max-lateness-hours",
        "100000",
        "--tick-seconds",
        "3600",
        "--nats",
        url,
    ]

    async def publish(part: list[WireReading]) -> None:
        client = await nats.connect(url)
        js = client.jetstream()
        await ensure_stream(js, prefix.upper(), prefix)
        for start in range(0, len(part), 2):
            await publish_readings(js, prefix, part[start : start + 2], 2)
        await client.close()

    def wait_for(count: int, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while _count(container) < count and time.monotonic() < deadline:
            time.sleep(0.05)

    half = len(stream) // 2
    asyncio.run(publish(stream[:half]))
    quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    first = subprocess.Popen(command, **quiet)  # type: ignore[call-overload]  # noqa: S603 - our CLI
    wait_for(half // 3, 120)
    first.kill()  # SIGKILL: no snapshot, no acknowledgement of what was in hand
    first.wait(10)
    killed_at = _count(container)
    assert 0 < killed_at < len(stream)
    asyncio.run(publish(stream[half:]))
    second = subprocess.Popen(command, **quiet)  # type: ignore[call-overload]  # noqa: S603 - our CLI
    try:
        wait_for(len(stream), 180)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)

    async def clean() -> None:
        client = await nats.connect(url)
        await client.jetstream().delete_stream(prefix.upper())
        await client.close()

    asyncio.run(clean())
    assert _count(container) == len(stream)
    with container.iot_uow() as uow:
        stored = uow.alerts.within(["/"], active=None, offset=0, limit=500).items
    got = sorted((a.sensor_id, a.rule_id, a.fired_at, a.severity) for a in stored)
    assert got == expected
