"""`civicgrid sensors …`, `civicgrid readings …`: the sensor register and raw telemetry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from civicgrid.adapters.alert_rules_file import load_rules
from civicgrid.adapters.sensor_files import read_sensor_file
from civicgrid.cli.context import console, container, reports_errors
from civicgrid.domain.access import local_operator
from civicgrid.services.sensors import (
    issue_device_token,
    list_sensors,
    prune_readings,
    register_sensors,
    retire_sensor,
)

sensors_app = typer.Typer(help="The sensor register: import, list, retire, device tokens.")
readings_app = typer.Typer(help="Raw sensor readings: retention.")
alerts_app = typer.Typer(help="Alert rules.")


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
    """Delete raw readings older than the retention period."""
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
