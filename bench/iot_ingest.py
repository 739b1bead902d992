"""HTTP batch ingestion end to end: POST /api/v1/readings → checks → rules → readings and
alerts committed, and the few alerts' cases opened (just after each answer), on a live
`civicgrid serve`.

Run: .venv/bin/python bench/iot_ingest.py [--sensors 20000] [--batch 50000] [--batches 12]
     [--engine sqlite|postgresql] [--check]

The stream: one reading a minute from every sensor, in batches of `--batch` as a gateway
would send them; 0.2 % of the sensors go through an excursion that fires, escalates and
clears alerts. The baseline, in the same run: the naive way, one reading at a time as an
ORM object, committed one by one. ThingsBoard's published figure for a 2-vCPU machine is
about 15,000 data points a second; the ratio to it is printed too.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import msgspec
import numpy as np
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.http_load import cpu_seconds, server
from bench.naive_readings import NaiveReadingRow, create_naive_table, stored_readings
from tests.factories import CITY_BOX, small_city

from civicgrid.adapters.db import migrate
from civicgrid.adapters.db.tables import AlertRow
from civicgrid.adapters.mqtt_ingest import MqttIngester
from civicgrid.adapters.mqtt_publish import BoundedPublisher
from civicgrid.bootstrap import bootstrap
from civicgrid.config import Settings
from civicgrid.domain.access import local_operator
from civicgrid.domain.sensors import SensorType
from civicgrid.services.area_import import import_areas
from civicgrid.services.sensors import SensorDraft, issue_device_token, register_sensors

MIN_READINGS_PER_SECOND = 200_000
MIN_MQTT_PER_SECOND = 20_000
THINGSBOARD_2VCPU = 15_000
TYPES = [t for t in SensorType if t is not SensorType.CAMERA]
NORMAL = {
    SensorType.WATER_LEVEL_UNDERPASS: 0.02,
    SensorType.WATER_LEVEL_RIVER: 80.0,
    SensorType.MANHOLE_TILT: 1.0,
    SensorType.SMOKE: 0.5,
    SensorType.GAS: 1.0,
    SensorType.STRAIN: 200.0,
    SensorType.AIR_QUALITY: 60.0,
}
LIFT = {
    SensorType.WATER_LEVEL_UNDERPASS: 0.5,
    SensorType.WATER_LEVEL_RIVER: 5.0,
    SensorType.MANHOLE_TILT: 40.0,
    SensorType.SMOKE: 20.0,
    SensorType.GAS: 40.0,
    SensorType.STRAIN: 1500.0,
    SensorType.AIR_QUALITY: 300.0,
}
ATTRIBUTES = {
    "closure_depth": 0.4,
    "warning_level": 82.0,
    "guarantee_level": 84.0,
    "design_strain": 1000.0,
    "limit_strain": 1500.0,
}
GATEWAY = "GW-BENCH"


def setup(url: str, data_dir: Path, count: int, start: datetime) -> str:
    """Areas and sensors; returns a gateway token good for every sensor."""
    container = bootstrap(Settings(env="development", database_url=url, data_dir=data_dir))
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    rng = np.random.default_rng(6)
    x0, y0, x1, y1 = CITY_BOX
    lons = rng.uniform(x0 + 0.01, x1 - 0.01, count)
    lats = rng.uniform(y0 + 0.01, y1 - 0.01, count)
    drafts = [
        SensorDraft(
            f"S{i:06d}",
            TYPES[i % len(TYPES)].value,
            float(lons[i]),
            float(lats[i]),
            "water_affairs",
            gateway=GATEWAY,
            attributes=ATTRIBUTES,
            synthetic=True,
        )
        for i in range(count)
    ]
    register_sensors(
        container.iot_uow(),
        container.locators,
        local_operator(),
        drafts,
        now=start,
        snap_tolerance_m=50,
    )
    token = issue_device_token(container.iot_uow(), GATEWAY, "gateway", now=start)
    container.dispose()
    return token


def bodies(count: int, batch: int, batches: int, start: datetime) -> list[bytes]:
    """Encoded JSON arrays, one reading a minute per sensor, in time order."""
    rng = np.random.default_rng(7)
    rounds = -(-batch * batches // count)
    kinds = [TYPES[i % len(TYPES)] for i in range(count)]
    base = np.array([NORMAL[k] for k in kinds])
    lift = np.array([LIFT[k] for k in kinds])
    values = np.abs(base[:, None] * (1 + 0.2 * rng.standard_normal((count, rounds))))
    hot = rng.choice(count, max(1, count // 500), replace=False)
    begin = rng.integers(0, max(1, rounds - 10), hot.size)
    for s, b in zip(hot.tolist(), begin.tolist(), strict=True):
        values[s, b : b + 8] += lift[s]
    t0 = start.timestamp()
    rows = [
        {"sensor": f"S{s:06d}", "ts": t0 + 60 * r + s * 0.001, "value": float(values[s, r])}
        for r in range(rounds)
        for s in range(count)
    ]
    return [msgspec.json.encode(rows[i * batch : (i + 1) * batch]) for i in range(batches)]


def publish(prefix: str, count: int, sensors: int, t0: float) -> None:
    """In a process of its own, so that it does not share the ingester's interpreter."""
    publisher = BoundedPublisher("127.0.0.1", 1883, client_id=f"{prefix}-pub", window=2000)
    for i in range(count):
        reading = {
            "sensor": f"S{i % sensors:06d}",
            "ts": t0 + i // sensors * 60 + 0.5,
            "value": 0.0,
        }
        publisher.publish(f"{prefix}/v1/{GATEWAY}/readings", msgspec.json.encode(reading))
    publisher.drain()
    publisher.close()


def mqtt_phase(url: str, data_dir: Path, count: int, sensors: int) -> float:
    """Messages a second from the first publish to the last commit, none lost."""
    container = bootstrap(Settings(env="development", database_url=url, data_dir=data_dir))
    pipeline = container.alert_pipeline.ensure_started(container.clock())
    before = _count(url)
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    ingester = MqttIngester(
        lambda incoming, now: pipeline.ingest(incoming, None, now),
        container.clock,
        client_id=f"{prefix}-ingest",
        topic=f"{prefix}/v1/+/readings",
    )
    worker = threading.Thread(target=ingester.run, daemon=True)
    worker.start()
    ingester.subscribed.wait(10)
    t0 = time.time() - 90  # after the HTTP phase's readings, before the server's clock
    began = time.perf_counter()
    sender = multiprocessing.Process(target=publish, args=(prefix, count, sensors, t0))
    sender.start()
    while ingester.stats.messages < count and time.perf_counter() - began < 1200:
        time.sleep(0.05)
    rate = ingester.stats.messages / (time.perf_counter() - began)
    print(f"MQTT: {ingester.stats.batches} batches for {ingester.stats.messages:,} messages")
    ingester.stop()
    worker.join(10)
    sender.join(10)
    container.dispose()
    stored = _count(url) - before
    if stored != count:
        print(f"MQTT LOST: published {count:,}, stored {stored:,}")
        return 0.0
    return rate


def _wait_for_cases(url: str) -> tuple[int, int]:
    """(alerts, alerts with a case) once every alert that is owed a case has one."""
    engine = create_engine(url)
    owed = AlertRow.case_id.is_(None) & AlertRow.active & (AlertRow.category != "")
    owed &= AlertRow.silenced.is_(False) & AlertRow.flapping.is_(False)
    deadline = time.perf_counter() + 120
    with engine.connect() as connection:
        while time.perf_counter() < deadline:
            if not connection.scalar(select(func.count()).select_from(AlertRow).where(owed)):
                break
            connection.rollback()
            time.sleep(0.01)
        alerts = connection.scalar(select(func.count()).select_from(AlertRow))
        cases = connection.scalar(
            select(func.count()).select_from(AlertRow).where(AlertRow.case_id.is_not(None))
        )
    engine.dispose()
    return int(alerts or 0), int(cases or 0)


def _count(url: str) -> int:
    return stored_readings(url)


def naive_baseline(url: str, count: int) -> float:
    """One reading, one ORM object, one commit."""
    create_naive_table(url)
    engine = create_engine(url)
    start = time.perf_counter()
    with Session(engine) as session:
        for i in range(count):
            session.add(
                NaiveReadingRow(
                    sensor_id=f"N{i % 100}", ts=10_000 + i, value=1.0, batch=0, late=False
                )
            )
            session.commit()
    rate = count / (time.perf_counter() - start)
    engine.dispose()
    return rate


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sensors", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=50_000)
    parser.add_argument("--batches", type=int, default=12)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--baseline-readings", type=int, default=2000)
    parser.add_argument("--mqtt-messages", type=int, default=30_000)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    start = datetime.now(UTC) - timedelta(minutes=2 + args.batch * args.batches // args.sensors)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = _database(args.engine, work)
        migrate.upgrade(url)
        token = setup(url, work / "var", args.sensors, start)
        payloads = bodies(args.sensors, args.batch, args.batches, start)
        settings = {
            "CIVICGRID_DATABASE_URL": url,
            "CIVICGRID_DATA_DIR": str(work / "var"),
            "CIVICGRID_ENV": "development",
            "CIVICGRID_TICK_SECONDS": "0",
        }
        rates, accepted = [], 0
        with server(settings, 1, work) as (port, pid), httpx.Client(timeout=300) as client:
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            url_post = f"http://127.0.0.1:{port}/api/v1/readings"
            # Warm up: a reading out of any physical range starts the pipeline (sensors
            # loaded, engine built) and is refused, so nothing is stored.
            warm = [{"sensor": "S000000", "ts": start.timestamp(), "value": -1e12}]
            client.post(url_post, content=msgspec.json.encode(warm), headers=headers)
            began, server_cpu = time.perf_counter(), cpu_seconds(pid)
            for body in payloads:
                sent = time.perf_counter()
                answer = client.post(url_post, content=body, headers=headers)
                answer.raise_for_status()
                accepted += answer.json()["accepted"]
                rates.append(args.batch / (time.perf_counter() - sent))
            answered = accepted / (time.perf_counter() - began)
            alerts, cases = _wait_for_cases(url)
            total = accepted / (time.perf_counter() - began)
            per_cpu = accepted / max(cpu_seconds(pid) - server_cpu, 1e-9)
        stored = stored_readings(url)
        mqtt_rate = 0.0
        if args.mqtt_messages:
            mqtt_rate = mqtt_phase(url, work / "var", args.mqtt_messages, args.sensors)
        naive = naive_baseline(url, args.baseline_readings)
        if args.engine == "postgresql":
            _drop(url)

    print(
        f"engine {args.engine}: {args.sensors:,} sensors, {args.batches} batches of {args.batch:,}"
    )
    print(
        f"HTTP batch → rules → stored, cases opened: {total:,.0f} readings/s overall "
        f"({answered:,.0f}/s to the last answer); per batch median "
        f"{statistics.median(rates):,.0f}/s (min {min(rates):,.0f}, max {max(rates):,.0f})"
    )
    print("per batch, readings/s: " + " ".join(f"{r:,.0f}" for r in rates))
    print(
        f"server CPU: {per_cpu:,.0f} readings per CPU-second of the server process"
        " (the machine is shared; wall-clock figures depend on its load)"
    )
    print(f"stored {stored:,} readings, {alerts} alerts, {cases} of them with a case")
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    ratio, ahead = total / naive, total / THINGSBOARD_2VCPU
    print(f"naive one-at-a-time ORM insert: {naive:,.0f} readings/s; batch path is {ratio:,.0f}x")
    print(f"ThingsBoard (2 vCPU, published): {THINGSBOARD_2VCPU:,}/s; this is {ahead:.1f}x")
    if args.mqtt_messages:
        print(
            f"MQTT QoS 1, one reading a message: {mqtt_rate:,.0f} messages/s, none lost "
            f"({args.mqtt_messages:,} messages; {mqtt_rate / naive:,.0f}x the naive insert)"
        )
    if accepted != args.batch * args.batches or stored != accepted:
        print(f"LOST: accepted {accepted:,}, stored {stored:,}")
        return 1
    if args.check and args.mqtt_messages and mqtt_rate < MIN_MQTT_PER_SECOND:
        print(f"MISSED: MQTT {mqtt_rate:,.0f} < {MIN_MQTT_PER_SECOND:,} messages/s")
        return 1
    if args.check and total < MIN_READINGS_PER_SECOND:
        print(f"MISSED: {total:,.0f} < {MIN_READINGS_PER_SECOND:,} readings/s")
        return 1
    return 0


def _database(engine: str, work: Path) -> str:
    if engine == "sqlite":
        return f"sqlite:///{work / 'bench.sqlite3'}"
    import psycopg

    name = f"civicgrid_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def _drop(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
