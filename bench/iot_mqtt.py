"""MQTT ingestion: QoS 1 messages → `MqttIngester` → alert pipeline → SQLite, none lost.

Run: .venv/bin/python bench/iot_mqtt.py [--messages 200000] [--sensors 2000]
     [--broker private|127.0.0.1:1883] [--baseline-messages 2000] [--check]

The publisher replays a pre-built stream of MQTT 3.1.1 QoS 1 PUBLISH packets over a raw
socket from a separate process (a window of 20,000 unacknowledged), so it costs almost
no CPU and the Python being measured is the consumer's. (`mosquitto_pub -l -q 1` was
tried first: at this rate it exits before sending everything, ~35k of 100k lines
arrived.) By default
the bench starts a private Mosquitto configured as docs/deployment.md recommends
(`max_queued_messages 0`): with the stock limit of 1,000 queued messages per client a
publisher running ahead of the consumer makes the broker drop QoS 1 messages.
Measured: messages/s from the first publish to the last commit, the consumer
process's CPU time per message, and that every message is stored exactly once.
The baseline, in the same run: a naive paho subscriber that inserts each message as
one ORM object and commits it.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import os
import pstats
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import nats
import numpy as np
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import BigInteger, Float, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.iot_ingest import GATEWAY, setup

from civicgrid.adapters.db import migrate
from civicgrid.adapters.mqtt_ingest import MqttIngester
from civicgrid.adapters.mqtt_jetstream import JetStreamForwarder
from civicgrid.adapters.reading_codec import WireReading
from civicgrid.bootstrap import bootstrap
from civicgrid.config import Settings
from civicgrid.services.ingest import IncomingReadings, IngestResult
from civicgrid.services.sensor_senders import get_sensor_gateways

MIN_MESSAGES_PER_SECOND = 20_000
NATS_URL = "nats://127.0.0.1:4222"
_wire = msgspec.json.Decoder(list[WireReading])


class NaiveBase(DeclarativeBase):
    pass


class NaiveReading(NaiveBase):
    """The baseline's table: one row per reading, keyed like a textbook would."""

    __tablename__ = "naive_readings"
    sensor_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ts: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    value: Mapped[float] = mapped_column(Float)


@contextmanager
def broker(kind: str, work: Path) -> Iterator[tuple[str, int]]:
    if kind != "private":
        host, port = kind.rsplit(":", 1)
        yield host, int(port)
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = work / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        "max_queued_messages 0\nmax_inflight_messages 0\n"
    )
    process = subprocess.Popen(
        [shutil.which("mosquitto") or "/usr/sbin/mosquitto", "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(10)


def stamp(t0: float, sensor: int, round_: int) -> float:
    return round(t0 + round_ + sensor * 1e-3, 3)


def stream(path: Path, topic: str, count: int, sensors: int, t0: float) -> None:
    """PUBLISH packets (QoS 1), one reading each; each round of sensors a second apart.
    Where each packet ends goes to a side file, so the publisher never parses them."""
    name = topic.encode()
    ends = np.empty(count, np.int64)
    with path.open("wb") as out:
        for i in range(count):
            sensor, round_ = i % sensors, i // sensors
            payload = b'{"sensor":"S%06d","ts":%.3f,"value":%.3f}' % (
                sensor,
                stamp(t0, sensor, round_),
                0.01 + (i % 7) * 0.001,
            )
            body = struct.pack("!H", len(name)) + name + struct.pack("!H", i % 65_535 + 1)
            out.write(b"\x32" + _varint(len(body) + len(payload)) + body + payload)
            ends[i] = out.tell()
    np.save(path.with_suffix(".ends.npy"), ends)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        n, digit = n >> 7, n & 127
        out.append(digit | (128 if n else 0))
        if not n:
            return bytes(out)


def replay(host: str, port: int, packets: Path, count: int, window: int = 20_000) -> None:
    """The publisher process: connect, send the packets, wait for every PUBACK."""
    client_id = f"replay-{uuid.uuid4().hex[:8]}".encode()
    body = b"\x00\x04MQTT\x04\x02\x00\x3c" + struct.pack("!H", len(client_id)) + client_id
    data = memoryview(packets.read_bytes())
    ends = np.load(packets.with_suffix(".ends.npy")).tolist()
    with socket.create_connection((host, port)) as sock:
        sock.sendall(b"\x10" + _varint(len(body)) + body)
        if sock.recv(4)[:2] != b"\x20\x02":
            raise ConnectionError("no CONNACK")
        sent = ack_bytes = 0
        while sent < count:
            while sent - ack_bytes // 4 >= window:  # PUBACKs are 4 bytes
                ack_bytes += len(sock.recv(1 << 20))
            more = min(2_000, window - (sent - ack_bytes // 4), count - sent)
            sock.sendall(data[ends[sent - 1] if sent else 0 : ends[sent + more - 1]])
            sent += more
        while ack_bytes // 4 < count:
            ack_bytes += len(sock.recv(1 << 20))
        sock.sendall(b"\xe0\x00")


def publish(host: str, port: int, packets: Path, count: int) -> subprocess.Popen[bytes]:
    script = Path(__file__).resolve()
    args = ["--replay", str(packets), "--host", host, "--port", str(port), "--messages"]
    return subprocess.Popen([sys.executable, str(script), *args, str(count)])


def _profiled(run: Callable[[], None], profile: bool) -> Callable[[], None]:
    def profiled() -> None:
        profiler = cProfile.Profile()
        profiler.runcall(run)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(18)

    return profiled if profile else run


def ours(
    url: str,
    data_dir: Path,
    broker_at: tuple[str, int],
    lines: Path,
    t0: float,
    sensors: int,
    count: int,
    profile: bool = False,
    partitions: int = 0,
) -> dict[str, Any]:
    """With `partitions`, through the JetStream bridge instead of the local pipeline."""
    host, port = broker_at
    container = bootstrap(Settings(env="development", database_url=url, data_dir=data_dir))
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    forwarder = None
    if partitions:
        forwarder = JetStreamForwarder(
            NATS_URL,
            prefix=prefix,
            stream=prefix.upper(),
            partitions=partitions,
            gateways=lambda ids: get_sensor_gateways(container.iot_uow(), ids),
        )
        sink = forwarder.forward
    else:
        pipeline = container.alert_pipeline.ensure_started(container.clock())
        sink = functools.partial(pipeline.ingest, device=None)
    duplicates, rejected = [0], [0]

    def ingest(incoming: IncomingReadings, now: datetime) -> IngestResult:
        result = sink(incoming, now=now)
        duplicates[0] += len(result.duplicates)
        rejected[0] += len(result.rejected)
        return result

    ingester = MqttIngester(
        ingest,
        container.clock,
        host=host,
        port=port,
        client_id=f"{prefix}-ingest",
        topic=f"{prefix}/v1/+/readings",
    )
    worker = threading.Thread(target=_profiled(ingester.run, profile), daemon=True)
    worker.start()
    ingester.subscribed.wait(10)
    stream(lines, f"{prefix}/v1/{GATEWAY}/readings", count, sensors, t0)
    cpu, began = time.process_time(), time.perf_counter()
    sender = publish(host, port, lines, count)
    seen, progress = 0, time.perf_counter()
    while ingester.stats.messages < count and time.perf_counter() - progress < 15:
        time.sleep(0.01)
        if ingester.stats.messages != seen:  # give up after 15 s with nothing new
            seen, progress = ingester.stats.messages, time.perf_counter()
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    ingester.stop()
    worker.join(10)
    sender.wait(30)
    container.dispose()
    forwarded: list[tuple[str, int]] = []
    if forwarder is not None:
        forwarder.close()
        forwarded = asyncio.run(_drain_stream(prefix))
    return {
        "forwarded": forwarded,
        "messages": ingester.stats.messages,
        "batches": ingester.stats.batches,
        "rate": ingester.stats.messages / elapsed,
        "cpu_us": cpu / max(ingester.stats.messages, 1) * 1e6,
        "duplicates": duplicates[0],
        "rejected": rejected[0],
    }


async def _drain_stream(prefix: str) -> list[tuple[str, int]]:
    """Every reading the bridge put on the stream, as (sensor, ts in ms); then drop it."""
    client = await nats.connect(NATS_URL)
    js = client.jetstream()
    subscription = await js.pull_subscribe(f"{prefix}.readings.*", stream=prefix.upper())
    found: list[tuple[str, int]] = []
    while True:
        try:
            messages = await subscription.fetch(500, timeout=1.0)
        except TimeoutError:
            break
        for message in messages:
            for r in _wire.decode(message.data):
                ts = r.ts.timestamp() if isinstance(r.ts, datetime) else r.ts
                found.append((r.sensor, round(ts * 1000)))
            await message.ack()
    await js.delete_stream(prefix.upper())
    await client.close()
    return found


def naive(
    url: str, broker_at: tuple[str, int], lines: Path, t0: float, sensors: int, count: int
) -> float:
    host, port = broker_at
    """paho's defaults; each message decoded, added as an ORM object and committed."""
    engine = create_engine(url)
    NaiveBase.metadata.create_all(engine)
    session = Session(engine)
    done = threading.Event()
    received = [0]
    prefix = f"naive-{uuid.uuid4().hex[:8]}"

    def on_message(_c: mqtt.Client, _u: Any, message: mqtt.MQTTMessage) -> None:
        reading = msgspec.json.decode(message.payload)
        session.add(
            NaiveReading(
                sensor_id=reading["sensor"], ts=round(reading["ts"] * 1000), value=reading["value"]
            )
        )
        session.commit()
        received[0] += 1
        if received[0] == count:
            done.set()

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"{prefix}-sub")
    client.on_message = on_message
    client.connect(host, port)
    client.subscribe(f"{prefix}/#", qos=1)
    client.loop_start()
    time.sleep(0.5)
    stream(lines, f"{prefix}/v1/{GATEWAY}/readings", count, sensors, t0)
    began = time.perf_counter()
    sender = publish(host, port, lines, count)
    done.wait(60)
    rate = received[0] / (time.perf_counter() - began)
    sender.wait(30)
    client.loop_stop()
    client.disconnect()
    session.close()
    engine.dispose()
    return rate


def check_forwarded(found: list[tuple[str, int]], count: int, sensors: int, t0: float) -> None:
    expected = {
        (f"S{i % sensors:06d}", round(stamp(t0, i % sensors, i // sensors) * 1000))
        for i in range(count)
    }
    if len(found) != count or set(found) != expected:
        raise AssertionError(f"JetStream holds {len(found):,} readings, {count:,} were sent")


def c_subscriber(
    broker_at: tuple[str, int], lines: Path, t0: float, sensors: int, count: int
) -> float:
    """For reference: the same stream into Mosquitto's own C subscriber (receive and
    acknowledge only, no decoding or storage)."""
    host, port = broker_at
    topic = f"ceiling-{uuid.uuid4().hex[:8]}"
    where = ["-h", host, "-p", str(port), "-t", f"{topic}/#"]
    sub = shutil.which("mosquitto_sub") or "/usr/bin/mosquitto_sub"
    receiver = subprocess.Popen(
        [sub, *where, "-q", "1", "-C", str(count), "-W", "60"],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    stream(lines, f"{topic}/v1/{GATEWAY}/readings", count, sensors, t0)
    began = time.perf_counter()
    sender = publish(host, port, lines, count)
    receiver.wait(90)
    rate = count / (time.perf_counter() - began)
    sender.wait(30)
    return rate


def stored_once(url: str, data_dir: Path, count: int, sensors: int, t0: float) -> int:
    """How many readings are stored; raises if any sensor's are not exactly those sent."""
    container = bootstrap(Settings(env="development", database_url=url, data_dir=data_dir))
    rounds = -(-count // sensors)
    with container.iot_uow() as uow:
        total = uow.readings.count()
        for s in range(sensors):
            expected = [
                round(stamp(t0, s, r) * 1000) for r in range(rounds) if r * sensors + s < count
            ]
            got, _ = uow.readings.of_sensor(f"S{s:06d}", 0, 2**62, rounds + 10)
            if sorted(got) != expected:
                raise AssertionError(f"S{s:06d}: {len(got)} stored, {len(expected)} sent")
    container.dispose()
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--sensors", type=int, default=2_000)
    parser.add_argument("--broker", default="private", help="private, or host:port")
    parser.add_argument("--baseline-messages", type=int, default=2_000)
    parser.add_argument("--check", action="store_true")
    parser.add_argument(
        "--to-jetstream", type=int, default=0, metavar="N", help="the bridge, N partitions"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the consumer thread")
    parser.add_argument("--replay", type=Path, help=argparse.SUPPRESS)  # the publisher
    parser.add_argument("--host", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.replay:
        replay(args.host, args.port, args.replay, args.messages)
        return 0

    now = datetime.now(UTC)
    t0 = float(int(now.timestamp()) - 300 - args.messages // args.sensors)
    with tempfile.TemporaryDirectory() as tmp, broker(args.broker, Path(tmp)) as (host, port):
        work = Path(tmp)
        url = f"sqlite:///{work / 'bench.sqlite3'}"
        migrate.upgrade(url)
        setup(url, work / "var", args.sensors, now)
        lines = work / "stream.bin"
        at = (host, port)
        result = ours(
            *(url, work / "var", at, lines, t0, args.sensors, args.messages),
            profile=args.profile,
            partitions=args.to_jetstream,
        )
        try:
            if args.to_jetstream:
                check_forwarded(result["forwarded"], args.messages, args.sensors, t0)
                rows = len(result["forwarded"])
            else:
                rows = stored_once(url, work / "var", args.messages, args.sensors, t0)
        except AssertionError as exc:
            print(f"LOST OR DOUBLED after {result['messages']:,} messages consumed: {exc}")
            return 1
        baseline = naive(url, at, lines, t0, args.sensors, args.baseline_messages)
        upstream = c_subscriber(at, lines, t0, args.sensors, args.messages)
    load = os.getloadavg()
    print(f"{args.messages:,} QoS 1 messages of one reading, {args.sensors:,} sensors")
    where = f"to JetStream ({args.to_jetstream} partitions)" if args.to_jetstream else "stored"
    print(
        f"MqttIngester {where}: {result['rate']:,.0f} messages/s first publish → last commit; "
        f"{result['cpu_us']:.1f} µs consumer CPU per message; {result['batches']} batches"
    )
    print(
        f"{where}: {rows:,} readings, each sensor's exactly those sent; duplicates reported "
        f"{result['duplicates']}, rejected {result['rejected']}"
    )
    print(
        f"naive paho + ORM insert per message: {baseline:,.0f} messages/s; "
        f"MqttIngester is {result['rate'] / baseline:,.1f}x"
    )
    print(
        f"reference: the same stream into mosquitto_sub (C, receive and acknowledge only): "
        f"{upstream:,.0f} messages/s"
    )
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    if rows != args.messages or result["messages"] != args.messages:
        print(f"LOST OR DOUBLED: published {args.messages:,}, stored {rows:,}")
        return 1
    if args.check and result["rate"] < MIN_MESSAGES_PER_SECOND:
        print(f"MISSED: {result['rate']:,.0f} < {MIN_MESSAGES_PER_SECOND:,} messages/s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
