"""Readings over NATS JetStream, partitioned by sensor id, for workers to share a city.

Subjects: `<prefix>.readings.<partition>`, partition = crc32(sensor id) mod N, so each
sensor's readings stay in order in one partition. A worker owns some partitions and
reads each through a durable pull consumer, acknowledging a batch only after its
readings and alerts are committed; redelivery after a crash is harmless, as readings
are keyed by (sensor, timestamp).
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Callable, Sequence
from datetime import datetime

import msgspec
import nats
import numpy as np
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from civicgrid.adapters.reading_codec import WireReading
from civicgrid.services.ingest import AlertPipeline, IncomingReadings

_batch = msgspec.json.Decoder(list[WireReading])


def partition_of(sensor_id: str, partitions: int) -> int:
    return zlib.crc32(sensor_id.encode()) % partitions


async def ensure_stream(js: JetStreamContext, name: str, prefix: str) -> None:
    try:
        await js.stream_info(name)
    except NotFoundError:
        await js.add_stream(name=name, subjects=[f"{prefix}.readings.*"])


async def publish_readings(
    js: JetStreamContext, prefix: str, readings: Sequence[WireReading], partitions: int
) -> None:
    """One message per partition touched, each a JSON array in the readings' order."""
    groups: dict[int, list[WireReading]] = {}
    for reading in readings:
        groups.setdefault(partition_of(reading.sensor, partitions), []).append(reading)
    for partition, group in sorted(groups.items()):
        await js.publish(f"{prefix}.readings.{partition}", msgspec.json.encode(group))


async def publish_readings_at_once(
    js: JetStreamContext, prefix: str, readings: Sequence[WireReading], partitions: int
) -> None:
    """As `publish_readings`, but the partitions' publishes wait for their acks together
    (one round trip, not one per partition); each partition still gets one message."""
    groups: dict[int, list[WireReading]] = {}
    for reading in readings:
        groups.setdefault(partition_of(reading.sensor, partitions), []).append(reading)
    await asyncio.gather(
        *(
            js.publish(f"{prefix}.readings.{partition}", msgspec.json.encode(group))
            for partition, group in groups.items()
        )
    )


async def consume_partition(
    js: JetStreamContext,
    stream: str,
    prefix: str,
    partition: int,
    pipeline: AlertPipeline,
    clock: Callable[[], datetime],
    stop: asyncio.Event,
    *,
    durable: str,
    batch: int = 100,
    ack_wait_s: float = 30.0,
) -> None:
    subscription = await _resume(js, stream, f"{prefix}.readings.{partition}", durable, ack_wait_s)
    while not stop.is_set():
        try:
            messages = await subscription.fetch(batch, timeout=0.5)
        except TimeoutError:
            continue
        readings = [r for m in messages for r in _batch.decode(m.data)]
        if readings:
            stamps = [r.ts if isinstance(r.ts, float | int) else r.ts.timestamp() for r in readings]
            incoming = IncomingReadings(
                sensor_ids=[r.sensor for r in readings],
                ts_ms=np.round(np.array(stamps, np.float64) * 1000).astype(np.int64),
                values=np.array([r.value for r in readings], np.float64),
                rows=np.arange(len(readings)),
            )
            await asyncio.to_thread(pipeline.ingest, incoming, None, clock())
        for message in messages:  # after the commit
            await message.ack()


async def _resume(
    js: JetStreamContext, stream: str, subject: str, durable: str, ack_wait_s: float
) -> JetStreamContext.PullSubscription:
    """The durable consumer, restarted just after its last acknowledged message.

    A worker killed with a batch in hand leaves it unacknowledged; JetStream would send
    it again only after ack_wait, behind newer messages, and its readings would then be
    late. Starting again from the acknowledgement floor keeps each sensor's readings in
    order; anything already committed comes back as a harmless duplicate."""
    start = 1
    try:
        info = await js.consumer_info(stream, durable)
        start = info.ack_floor.stream_seq + 1 if info.ack_floor else 1
        await js.delete_consumer(stream, durable)
    except NotFoundError:
        pass
    config = ConsumerConfig(
        durable_name=durable,
        filter_subject=subject,
        ack_wait=ack_wait_s,
        deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
        opt_start_seq=max(start, 1),
    )
    await js.add_consumer(stream, config)
    return await js.pull_subscribe_bind(durable=durable, stream=stream)


async def run_worker(
    url: str,
    stream: str,
    prefix: str,
    pipelines: dict[int, AlertPipeline],
    clock: Callable[[], datetime],
    stop: asyncio.Event,
    *,
    tick_seconds: float = 10.0,
) -> None:
    """Consume the owned partitions until `stop`; tick each pipeline's timers meanwhile."""
    client = await nats.connect(url)
    js = client.jetstream()
    await ensure_stream(js, stream, prefix)

    async def ticking() -> None:
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), tick_seconds)
            except TimeoutError:
                for pipeline in pipelines.values():
                    await asyncio.to_thread(pipeline.tick, clock())

    tasks = [
        consume_partition(js, stream, prefix, p, pipeline, clock, stop, durable=f"{prefix}-p{p}")
        for p, pipeline in sorted(pipelines.items())
    ]
    try:
        await asyncio.gather(ticking(), *tasks)
    finally:
        await client.close()
