"""MQTT → JetStream → `civicgrid worker`, on the real Mosquitto and nats-server."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta

import msgspec
import nats
import pytest

from civicgrid.adapters.jetstream_readings import partition_of
from civicgrid.adapters.mqtt_ingest import MqttIngester
from civicgrid.adapters.mqtt_jetstream import JetStreamForwarder
from civicgrid.adapters.mqtt_publish import BoundedPublisher
from civicgrid.bootstrap import Container, alert_pipeline
from civicgrid.domain.access import local_operator
from civicgrid.domain.alerts import AlertEngine, EventKind
from civicgrid.services.sensor_senders import get_sensor_gateways
from civicgrid.services.sensors import SensorDraft, register_sensors
from tests.fixtures import TEST_SECRET
from tests.integration.case_people import require_nats
from tests.integration.iot_world import T0, build_world
from tests.integration.test_mqtt_ingest import _require_mosquitto

SENSORS = [f"WL-M{i}" for i in range(8)]
GATEWAY = "GW-M"  # the even sensors are behind it; the odd ones send for themselves


def _device(i: int) -> str:
    return GATEWAY if i % 2 == 0 else SENSORS[i]


def _storm() -> list[tuple[int, float, float]]:
    """(sensor index, ts, level): sensor i floods from minute 5 + i to 20 + i."""
    return [
        (i, (T0 + timedelta(minutes=minute)).timestamp(), 0.4 if 5 + i <= minute < 20 + i else 0.01)
        for minute in range(40)
        for i in range(len(SENSORS))
    ]


def _count(container: Container) -> int:
    with container.iot_uow() as uow:
        return uow.readings.count()


@pytest.mark.slow
def test_readings_in_by_mqtt_come_out_of_the_workers_as_alerts(container: Container) -> None:
    _require_mosquitto()
    url = require_nats()
    world = build_world(container)
    drafts = [
        SensorDraft(
            s,
            "water_level_underpass",
            world.lon,
            world.lat,
            "water_affairs",
            gateway=GATEWAY if i % 2 == 0 else None,
        )
        for i, s in enumerate(SENSORS)
    ]
    register_sensors(
        container.iot_uow(),
        container.locators,
        local_operator(),
        drafts,
        now=T0 - timedelta(hours=1),
        snap_tolerance_m=50,
    )
    assert {partition_of(s, 2) for s in SENSORS} == {0, 1}
    rules = alert_pipeline(container).rules
    with container.iot_uow() as uow:
        sensors = [s for s in uow.sensors.all() if s.id in SENSORS]
    storm = _storm()
    expected = sorted(
        (e.sensor_id, e.rule_id, e.at, int(e.severity or 0))
        for e in AlertEngine(rules, sensors)
        .evaluate_readings([(SENSORS[i], ts, v) for i, ts, v in storm])
        .events
        if e.kind is EventKind.FIRE
    )
    assert len(expected) >= len(SENSORS)

    prefix = f"b{uuid.uuid4().hex[:8]}"
    forwarder = JetStreamForwarder(
        url,
        prefix=prefix,
        stream=prefix.upper(),
        partitions=2,
        gateways=lambda ids: get_sensor_gateways(container.iot_uow(), ids),
    )
    ingester = MqttIngester(
        forwarder.forward,
        container.clock,
        client_id=f"{prefix}-bridge",
        topic=f"{prefix}/v1/+/readings",
    )
    bridge = threading.Thread(target=ingester.run, daemon=True)
    bridge.start()
    assert ingester.subscribed.wait(10)
    publisher = BoundedPublisher("127.0.0.1", 1883, client_id=f"{prefix}-pub", window=500)
    for i, ts, level in storm:
        reading = {"sensor": SENSORS[i], "ts": ts, "value": level}
        publisher.publish(f"{prefix}/v1/{_device(i)}/readings", msgspec.json.encode(reading))
    intruder = {"sensor": SENSORS[0], "ts": T0.timestamp() + 7, "value": 9.0}  # not its sensor
    publisher.publish(f"{prefix}/v1/{SENSORS[1]}/readings", msgspec.json.encode(intruder))
    publisher.drain()
    publisher.close()

    env = os.environ | {
        "CIVICGRID_DATABASE_URL": container.settings.database_url,
        "CIVICGRID_DATA_DIR": str(container.settings.data_dir),
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
    }
    worker = subprocess.Popen(  # noqa: S603 - our own CLI
        [
            sys.executable,
            "-c",
            "from civicgrid.cli.main import main; main()",
            "worker",
            *("--partitions", "0,1", "--of", "2", "--prefix", prefix, "--stream", prefix.upper()),
            *("--max-lateness-hours", "100000", "--tick-seconds", "3600", "--nats", url),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while _count(container) < len(storm) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
        ingester.stop()
        bridge.join(10)
        forwarder.close()

    async def clean() -> None:
        client = await nats.connect(url)
        await client.jetstream().delete_stream(prefix.upper())
        await client.close()

    asyncio.run(clean())
    assert ingester.stats.messages == len(storm) + 1
    assert forwarder.published == len(storm)  # the intruder's reading was not forwarded
    assert _count(container) == len(storm)
    with container.iot_uow() as uow:
        stored = uow.alerts.within(["/"], active=None, offset=0, limit=500).items
    got = sorted((a.sensor_id, a.rule_id, a.fired_at, a.severity) for a in stored)
    assert got == expected


def _stream_readings(url: str, prefix: str) -> int:
    async def count() -> int:
        client = await nats.connect(url)
        js = client.jetstream()
        try:
            info = await js.stream_info(prefix.upper())
        except nats.js.errors.NotFoundError:
            await client.close()
            return 0
        found = int(info.state.messages)
        await client.close()
        return found

    return asyncio.run(count())


@pytest.mark.slow
def test_the_cli_bridge_forwards_until_sigterm(container: Container) -> None:
    _require_mosquitto()
    url = require_nats()
    build_world(container)  # GW-1 with WL-1 and WL-2 behind it
    prefix = f"c{uuid.uuid4().hex[:8]}"
    env = os.environ | {
        "CIVICGRID_DATABASE_URL": container.settings.database_url,
        "CIVICGRID_DATA_DIR": str(container.settings.data_dir),
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
    }
    bridge = subprocess.Popen(  # noqa: S603 - our own CLI
        [
            sys.executable,
            "-c",
            "from civicgrid.cli.main import main; main()",
            *("ingest", "mqtt", "--to-jetstream", "--of", "2", "--nats", url),
            *("--prefix", prefix, "--stream", prefix.upper(), "--client-id", f"{prefix}-cli"),
            *("--topic", f"{prefix}/v1/+/readings"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while _stream_readings(url, prefix) == 0 and time.monotonic() < deadline:
            publisher = BoundedPublisher("127.0.0.1", 1883, client_id=f"{prefix}-pub")
            readings = [
                {"sensor": s, "ts": T0.timestamp() + 60 * k, "value": 0.01}
                for k in range(5)
                for s in ("WL-1", "WL-2")
            ]
            publisher.publish(f"{prefix}/v1/GW-1/readings", msgspec.json.encode(readings))
            publisher.drain()
            publisher.close()
            time.sleep(0.5)
    finally:
        bridge.send_signal(signal.SIGTERM)
        output = bridge.communicate(timeout=30)[0].decode()
    assert bridge.returncode == 0, output
    assert _stream_readings(url, prefix) >= 1  # one message per partition and batch
    forwarded = re.search(r"(\d+) reading\(s\)", output)
    assert forwarded, output
    assert int(forwarded[1]) > 0
    assert int(forwarded[1]) % 10 == 0  # whole messages of 10 readings

    async def clean() -> None:
        client = await nats.connect(url)
        await client.jetstream().delete_stream(prefix.upper())
        await client.close()

    asyncio.run(clean())
