"""The alert rule core: readings evaluated per second on the default (mixed) rule set.

Run: .venv/bin/python bench/iot_rules.py [--sensors 20000] [--batch 200000] [--batches 20] [--check]

20,000 sensors over every type (3 rules on underpass sensors, 1–2 elsewhere: thresholds
from attributes, rates over a window, n-of-m, for/clear durations, flapping), one reading
a minute each, with excursions that fire, escalate and clear. The baseline is the plain
reference engine of the property tests (one reading at a time, dicts and deques), on a
slice of the same stream, in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from civicgrid.adapters.alert_rules_file import load_rules
from civicgrid.domain.alerts import AlertEngine
from civicgrid.domain.sensors import Sensor, SensorType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.unit.alerts_reference import ReferenceEngine

MIN_READINGS_PER_SECOND = 4_000_000
T0 = datetime(2026, 7, 20, tzinfo=UTC).timestamp()
TYPES = [t for t in SensorType if t is not SensorType.CAMERA]
NORMAL = {  # a typical reading and its noise, per type
    SensorType.WATER_LEVEL_UNDERPASS: (0.02, 0.02),
    SensorType.WATER_LEVEL_RIVER: (80.0, 0.5),
    SensorType.MANHOLE_TILT: (1.0, 1.0),
    SensorType.SMOKE: (0.5, 0.5),
    SensorType.GAS: (1.0, 1.0),
    SensorType.STRAIN: (200.0, 50.0),
    SensorType.AIR_QUALITY: (80.0, 20.0),
}
EXCURSION = {  # how far an excursion lifts a reading
    SensorType.WATER_LEVEL_UNDERPASS: 0.5,
    SensorType.WATER_LEVEL_RIVER: 5.0,
    SensorType.MANHOLE_TILT: 40.0,
    SensorType.SMOKE: 20.0,
    SensorType.GAS: 40.0,
    SensorType.STRAIN: 1500.0,
    SensorType.AIR_QUALITY: 250.0,
}


def make_sensors(count: int) -> list[Sensor]:
    registered = datetime.fromtimestamp(T0, UTC)
    attributes = {
        "closure_depth": 0.4,
        "warning_level": 82.0,
        "guarantee_level": 84.0,
        "design_strain": 1000.0,
        "limit_strain": 1500.0,
    }
    return [
        Sensor(
            f"S{i:06d}",
            TYPES[i % len(TYPES)],
            113.6,
            34.7,
            "m",
            "/m/",
            "water_affairs",
            registered,
            gateway=f"G{i // 50:04d}",
            attributes=attributes,
        )
        for i in range(count)
    ]


def make_stream(sensors: list[Sensor], minutes: int, seed: int) -> tuple[np.ndarray, ...]:
    """One reading a minute per sensor; each sensor has a few excursions of 5–30 minutes."""
    rng = np.random.default_rng(seed)
    n = len(sensors)
    kinds = [s.type for s in sensors]
    base = np.array([NORMAL[k][0] for k in kinds])
    noise = np.array([NORMAL[k][1] for k in kinds])
    lift = np.array([EXCURSION[k] for k in kinds])
    t = np.arange(minutes)
    starts = rng.integers(0, minutes, (n, 3))
    lengths = rng.integers(5, 30, (n, 3))
    inside = (
        (t[None, None, :] >= starts[:, :, None])
        & (t[None, None, :] < (starts + lengths)[:, :, None])
    ).any(axis=1)
    values = base[:, None] + noise[:, None] * rng.standard_normal((n, minutes))
    values += inside * lift[:, None] * rng.uniform(0.5, 1.2, (n, 1))
    values = np.abs(values)
    ts = T0 + 60.0 * t[None, :] + rng.uniform(0, 59, (n, 1))
    order = np.argsort(ts.T.ravel(), kind="stable")  # the stream arrives in time order
    sensor = np.repeat(np.arange(n, dtype=np.int32)[None, :], minutes, 0).ravel()[order]
    return sensor, ts.T.ravel()[order], values.T.ravel()[order]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sensors", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=200_000)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--baseline-readings", type=int, default=200_000)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    rules = load_rules(None)
    sensors = make_sensors(args.sensors)
    minutes = -(-args.batch * args.batches // args.sensors)
    sensor, ts, value = make_stream(sensors, minutes, seed=6)
    engine = AlertEngine(rules, sensors)
    engine.evaluate(sensor[:10], ts[:10], value[:10])  # compile (or load the cached kernel)
    engine = AlertEngine(rules, sensors)
    rates, cpu_rates, events = [], [], 0
    for b in range(args.batches):
        part = slice(b * args.batch, (b + 1) * args.batch)
        started, cpu = time.perf_counter(), time.process_time()
        result = engine.evaluate(sensor[part], ts[part], value[part])
        cpu_rates.append(args.batch / max(time.process_time() - cpu, 1e-9))
        rates.append(args.batch / (time.perf_counter() - started))
        events += len(result.events)
    fast = statistics.median(cpu_rates)  # per core: CPU time, as the machine is shared

    reference = ReferenceEngine(rules, sensors)
    ids = [s.id for s in sensors]
    sample = args.baseline_readings
    rows = list(
        zip(sensor[:sample].tolist(), ts[:sample].tolist(), value[:sample].tolist(), strict=True)
    )
    cpu = time.process_time()
    for s, t, v in rows:
        reference.read(ids[s], t, v)
    slow = sample / (time.process_time() - cpu)

    print(
        f"rule set: {len(rules.rules)} rules over {len(TYPES)} sensor types,"
        f" {args.sensors:,} sensors"
    )
    print(
        f"engine: median {fast:,.0f} readings per CPU-second over {args.batches} batches of"
        f" {args.batch:,} (min {min(cpu_rates):,.0f}, max {max(cpu_rates):,.0f});"
        f" wall clock median {statistics.median(rates):,.0f}/s; {events:,} alert events"
    )
    print(
        f"reference, one reading at a time: {slow:,.0f} readings per CPU-second;"
        f" engine is {fast / slow:,.0f}x"
    )
    if args.check and fast < MIN_READINGS_PER_SECOND:
        print(f"MISSED: {fast:,.0f} < {MIN_READINGS_PER_SECOND:,} readings/s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
