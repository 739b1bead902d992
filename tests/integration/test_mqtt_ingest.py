"""MQTT ingestion against the real Mosquitto on 127.0.0.1:1883: no loss at a high rate."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from datetime import timedelta

import msgspec
import pytest

from civicgrid.adapters.mqtt_ingest import MqttIngester
from civicgrid.adapters.mqtt_publish import BoundedPublisher
from civicgrid.bootstrap import Container
from tests.fixtures import service_missing
from tests.integration.iot_world import T0, build_world

MESSAGES = 70_000  # past paho's 65,535 message ids


def _require_mosquitto() -> None:
    try:
        socket.create_connection(("127.0.0.1", 1883), timeout=1).close()
    except OSError as exc:
        service_missing(f"Mosquitto is not reachable on 127.0.0.1:1883: {exc.__class__.__name__}")


@pytest.fixture
def prefix() -> str:
    _require_mosquitto()
    return f"test-{uuid.uuid4().hex[:8]}"


@pytest.mark.slow
def test_every_qos1_message_past_65535_is_stored_once(container: Container, prefix: str) -> None:
    world = build_world(container, max_lateness=timedelta(days=3))
    container.clock = lambda: T0 + timedelta(days=1)
    pipeline = world.pipeline
    ingester = MqttIngester(
        lambda incoming, now: pipeline.ingest(incoming, None, now),
        container.clock,
        client_id=f"{prefix}-ingest",
        topic=f"{prefix}/v1/+/readings",
    )
    worker = threading.Thread(target=ingester.run, daemon=True)
    worker.start()
    assert ingester.subscribed.wait(10)
    publisher = BoundedPublisher("127.0.0.1", 1883, client_id=f"{prefix}-pub", window=1000)
    senders = [("GW-1", "WL-1"), ("GW-1", "WL-2"), ("GAS-1", "GAS-1")]
    started = time.monotonic()
    for i in range(MESSAGES):
        device, sensor = senders[i % 3]
        reading = {"sensor": sensor, "ts": T0.timestamp() + i, "value": 0.01}
        publisher.publish(f"{prefix}/v1/{device}/readings", msgspec.json.encode(reading))
    publisher.drain()
    publisher.close()
    deadline = time.monotonic() + 600
    while ingester.stats.messages < MESSAGES and time.monotonic() < deadline:
        time.sleep(0.2)
    ingester.stop()
    worker.join(10)
    elapsed = time.monotonic() - started
    assert ingester.stats.messages == MESSAGES, f"{ingester.stats} after {elapsed:.0f} s"
    assert ingester.stats.malformed == 0
    with container.iot_uow() as uow:
        assert uow.readings.count() == MESSAGES


def test_a_device_may_not_send_another_devices_readings(container: Container, prefix: str) -> None:
    world = build_world(container)
    pipeline = world.pipeline
    results = []

    def ingest(incoming, now):  # type: ignore[no-untyped-def]
        results.append(pipeline.ingest(incoming, None, now))
        return results[-1]

    ingester = MqttIngester(
        ingest,
        lambda: T0 + timedelta(minutes=1),
        client_id=f"{prefix}-i2",
        topic=f"{prefix}/v1/+/readings",
    )
    worker = threading.Thread(target=ingester.run, daemon=True)
    worker.start()
    assert ingester.subscribed.wait(10)
    publisher = BoundedPublisher("127.0.0.1", 1883, client_id=f"{prefix}-p2")
    batch = [
        {"sensor": "WL-1", "ts": T0.timestamp(), "value": 0.0},
        {"sensor": "GAS-1", "ts": T0.timestamp(), "value": 0.0},
    ]
    publisher.publish(f"{prefix}/v1/GW-1/readings", msgspec.json.encode(batch))
    publisher.publish(f"{prefix}/v1/GW-1/readings", b"{not json")
    publisher.drain()
    publisher.close()
    deadline = time.monotonic() + 30
    while ingester.stats.messages < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    ingester.stop()
    worker.join(10)
    assert ingester.stats.malformed == 1
    assert sum(r.accepted for r in results) == 1
    assert [reason for r in results for _, reason in r.rejected] == [
        "device GW-1 may not send readings of GAS-1"
    ]


def test_messages_of_a_batch_that_failed_to_commit_are_delivered_again(
    container: Container, prefix: str
) -> None:
    world = build_world(container)
    pipeline = world.pipeline
    failures: list[Exception] = []

    def broken(incoming, now):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database went away")

    def run_failing(ingester: MqttIngester) -> None:
        try:
            ingester.run()
        except RuntimeError as exc:
            failures.append(exc)

    first = MqttIngester(
        broken,
        lambda: T0 + timedelta(hours=1),
        client_id=f"{prefix}-i3",
        topic=f"{prefix}/v1/+/readings",
    )
    worker = threading.Thread(target=run_failing, args=(first,), daemon=True)
    worker.start()
    assert first.subscribed.wait(10)
    publisher = BoundedPublisher("127.0.0.1", 1883, client_id=f"{prefix}-p3")
    for minute in range(50):
        reading = {"sensor": "WL-1", "ts": T0.timestamp() + 60 * minute, "value": 0.01}
        publisher.publish(f"{prefix}/v1/GW-1/readings", msgspec.json.encode(reading))
    publisher.drain()
    publisher.close()
    worker.join(30)
    assert failures
    assert first.stats.messages == 0  # nothing was acknowledged

    second = MqttIngester(
        lambda incoming, now: pipeline.ingest(incoming, None, now),
        lambda: T0 + timedelta(hours=1),
        client_id=f"{prefix}-i3",  # the same session: the broker redelivers
        topic=f"{prefix}/v1/+/readings",
    )
    worker = threading.Thread(target=second.run, daemon=True)
    worker.start()
    deadline = time.monotonic() + 30
    while second.stats.messages < 50 and time.monotonic() < deadline:
        time.sleep(0.1)
    second.stop()
    worker.join(10)
    assert second.stats.messages == 50
    with container.iot_uow() as uow:
        assert uow.readings.count() == 50
