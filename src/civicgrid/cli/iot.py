"""`civicgrid sensors …`, `civicgrid readings …`: the sensor register and raw telemetry."""

from __future__ import annotations

import asyncio
import functools
import signal
import threading
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from civicgrid.adapters.alert_rules_file import load_rules
from civicgrid.adapters.jetstream_readings import partition_of, run_worker
from civicgrid.adapters.mqtt_ingest import TOPIC, MqttIngester
from civicgrid.adapters.mqtt_jetstream import JetStreamForwarder
from civicgrid.adapters.sensor_files import read_sensor_file
from civicgrid.bootstrap import alert_pipeline
from civicgrid.cli.context import console, container, reports_errors
from civicgrid.domain.access import local_operator
from civicgrid.services.ingest import PipelineSettings
from civicgrid.services.sensor_senders import get_sensor_gateways
from civicgrid.services.sensors import (
    issue_device_token,
    list_sensors,
    prune_readings,
    register_sensors,
    retire_sensor,
)
from civicgrid.services.sensors_simulation import simulate_storm

sensors_app = typer.Typer(help="The sensor register: import, list, retire, device tokens.")
readings_app = typer.Typer(help="Raw sensor readings: retention.")
alerts_app = typer.Typer(help="Alert rules.")
ingest_app = typer.Typer(help="Ingest sensor readings from a message broker.")
simulate_app = typer.Typer(help="Synthetic data for the demo, labelled synthetic.")


@sensors_app.command("import")
@reports_errors
def import_sensors(path: Annotated[Path, typer.Argument(help="A CSV or GeoJSON file")]) -> None:
    """Register sensors; each is located to its micro-grid once, now."""
    drafts = read_sensor_file(path)
    with container() as c:
        report = register_sensors(
            c.iot_uow(),
            c.locators,
            local_operator(),
            drafts,
            now=c.clock(),
            snap_tolerance_m=c.settings.snap_tolerance_m,
        )
    console.print(
        f"added {len(report.added)}, already registered {len(report.existing)}, "
        f"rejected {len(report.rejected)}"
    )
    for sensor_id, reason in report.rejected[:200]:
        console.print(f"  {sensor_id}: {reason}", markup=False)
    if report.rejected:
        raise typer.Exit(2)


@sensors_app.command("list")
@reports_errors
def show_sensors(
    sensor_type: Annotated[str | None, typer.Option("--type")] = None,
    limit: int = 50,
) -> None:
    with container() as c:
        page = list_sensors(c.iot_uow(), local_operator(), sensor_type=sensor_type, limit=limit)
    table = Table("id", "type", "micro-grid", "department", "gateway", "retired")
    for s in page.items:
        retired = s.retired_at.isoformat() if s.retired_at else ""
        table.add_row(s.id, s.type.value, s.area_code, s.department, s.gateway or "", retired)
    console.print(table)
    console.print(f"{page.count} sensor(s)")


@sensors_app.command("retire")
@reports_errors
def retire(sensor_id: str) -> None:
    """Stop accepting the sensor's readings; its history stays."""
    with container() as c:
        retire_sensor(c.iot_uow(), local_operator(), sensor_id, now=c.clock())
    console.print(f"retired {sensor_id}")


@sensors_app.command("token")
@reports_errors
def token(
    subject: Annotated[str, typer.Argument(help="A sensor id, or a gateway id with --gateway")],
    gateway: Annotated[bool, typer.Option("--gateway")] = False,
) -> None:
    """Issue an ingestion token (shown once)."""
    with container() as c:
        issued = issue_device_token(
            c.iot_uow(), subject, "gateway" if gateway else "sensor", now=c.clock()
        )
    console.print(issued, markup=False)


@readings_app.command("prune")
@reports_errors
def prune(
    keep_days: Annotated[
        int | None, typer.Option(help="Default: CIVICGRID_READINGS_RETENTION_DAYS")
    ] = None,
) -> None:
    """Delete the raw readings of batches received before the retention period."""
    with container() as c:
        days = keep_days or c.settings.readings_retention_days
        removed = prune_readings(c.iot_uow(), now=c.clock(), keep_days=days)
    console.print(f"removed {removed} reading(s) older than {days} day(s)")


@alerts_app.command("check-rules")
@reports_errors
def check_rules(path: Annotated[Path | None, typer.Argument()] = None) -> None:
    """Parse an alert rules file (default: the configured or packaged one)."""
    with container() as c:
        rules = load_rules(path or c.settings.alert_rules_file)
    for rule in rules.rules:
        levels = ", ".join(level.severity.name_en for level in rule.levels)
        console.print(f"{rule.id}: {rule.sensor_type} {rule.when.value} [{levels}]", markup=False)
    console.print(f"{len(rules.rules)} rule(s), {len(rules.overrides)} override(s): ok")


@ingest_app.command("mqtt")
@reports_errors
def ingest_mqtt(
    host: str = "127.0.0.1",
    port: int = 1883,
    client_id: Annotated[
        str, typer.Option(help="Keep it stable: the broker keeps its session")
    ] = "civicgrid-ingest",
    topic: Annotated[str, typer.Option(help="The subscription")] = TOPIC,
    tick_seconds: Annotated[float, typer.Option(help="Timer rules (no data, gateways)")] = 10.0,
    to_jetstream: Annotated[
        bool, typer.Option(help="Forward to JetStream partitions for `civicgrid worker`s")
    ] = False,
    of: Annotated[int, typer.Option("--of", min=1, max=4096, help="Partitions in all")] = 1,
    nats_url: Annotated[str, typer.Option("--nats")] = "nats://127.0.0.1:4222",
    prefix: str = "civicgrid",
    stream: str = "CIVICGRID_READINGS",
) -> None:
    """Subscribe to civicgrid/v1/<device>/readings (QoS 1) and feed the alert pipeline."""
    with container() as c:
        if to_jetstream:
            forwarder = JetStreamForwarder(
                nats_url,
                prefix=prefix,
                stream=stream,
                partitions=of,
                gateways=lambda ids: get_sensor_gateways(c.iot_uow(), ids),
            )
            ingester = MqttIngester(
                forwarder.forward, c.clock, host=host, port=port, client_id=client_id, topic=topic
            )
            console.print(f"mqtt://{host}:{port} → {nats_url} ({of} partitions); Ctrl-C stops")
            try:
                _run_until_signal(ingester)
            finally:
                forwarder.close()
            _print_stats(ingester)
            return
        pipeline = c.alert_pipeline.ensure_started(c.clock())
        ingester = MqttIngester(
            lambda incoming, now: pipeline.ingest(incoming, None, now),
            c.clock,
            host=host,
            port=port,
            client_id=client_id,
            topic=topic,
        )
        stop = threading.Event()

        def ticking() -> None:
            while not stop.wait(tick_seconds):
                pipeline.tick(c.clock())

        timer = threading.Thread(target=ticking, daemon=True)
        timer.start()
        console.print(f"ingesting from mqtt://{host}:{port} as {client_id}; Ctrl-C stops")
        try:
            _run_until_signal(ingester)
        finally:
            stop.set()
            pipeline.snapshot_now(c.clock())
        _print_stats(ingester)


def _run_until_signal(ingester: MqttIngester) -> None:
    signal.signal(signal.SIGTERM, lambda *_: ingester.stop())
    try:
        ingester.run()
    except KeyboardInterrupt:
        ingester.stop()


def _print_stats(ingester: MqttIngester) -> None:
    stats = ingester.stats
    console.print(
        f"{stats.messages} message(s), {stats.readings} reading(s), {stats.malformed} malformed"
    )


@simulate_app.command("sensors")
@reports_errors
def simulate_sensors(
    district: Annotated[str, typer.Option(help="Default: 金水区 of the Zhengzhou demo")] = "410105",
    minutes: Annotated[int, typer.Option(min=1, max=24 * 60)] = 60,
    seed: int = 2021,
) -> None:
    """A storm: underpasses flooding, a flapping sensor, a gateway going offline."""
    with container() as c:
        start = c.clock() - timedelta(minutes=minutes)
        pipeline = c.alert_pipeline.ensure_started(start)
        report = simulate_storm(
            c.iot_uow(),
            c.locators,
            local_operator(),
            pipeline,
            district=district,
            start=start,
            minutes=minutes,
            seed=seed,
        )
        pipeline.snapshot_now(c.clock())
    events = ", ".join(f"{kind} {count}" for kind, count in sorted(report.events.items()))
    console.print(
        f"{report.sensors} synthetic sensors, {report.readings} readings; "
        f"alert events: {events or 'none'}"
    )


def _in_partition(sensor_id: str, *, partition: int, of: int) -> bool:
    return partition_of(sensor_id, of) == partition


@reports_errors
def worker(
    partitions: Annotated[str, typer.Option(help="Owned partitions, e.g. 0,1")],
    of: Annotated[int, typer.Option("--of", min=1, max=4096, help="How many partitions in all")],
    nats_url: Annotated[str, typer.Option("--nats")] = "nats://127.0.0.1:4222",
    prefix: str = "civicgrid",
    stream: str = "CIVICGRID_READINGS",
    max_lateness_hours: float = 1.0,
    tick_seconds: float = 10.0,
) -> None:
    """Evaluate the readings of some JetStream partitions (durable consumers)."""
    owned = sorted({int(p) for p in partitions.split(",") if p.strip()})
    if not owned or any(not 0 <= p < of for p in owned):
        raise typer.BadParameter(f"partitions are numbers from 0 to {of - 1}")
    with container() as c:
        pipelines = {}
        for p in owned:
            settings = PipelineSettings(
                partition=f"p{p}",
                max_lateness=timedelta(hours=max_lateness_hours),
                owns=functools.partial(_in_partition, partition=p, of=of),
            )
            pipelines[p] = alert_pipeline(c, settings)
            pipelines[p].start(c.clock())
        stop = asyncio.Event()

        async def main() -> None:
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGTERM, stop.set)
            loop.add_signal_handler(signal.SIGINT, stop.set)
            await run_worker(
                nats_url, stream, prefix, pipelines, c.clock, stop, tick_seconds=tick_seconds
            )

        console.print(f"worker for partitions {owned} of {of} on {nats_url}")
        asyncio.run(main())
        for pipeline in pipelines.values():
            pipeline.snapshot_now(c.clock())
