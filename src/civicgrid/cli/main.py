"""The `civicgrid` command."""

from __future__ import annotations

import typer

from civicgrid.cli import areas, cases, db, demo, serve, users
from civicgrid.cli import directives as directive_commands
from civicgrid.cli import reports as report_commands
from civicgrid.cli import sanbiao as sanbiao_commands
from civicgrid.cli.channels import app as channels_app
from civicgrid.cli.enterprises import app as enterprises_app
from civicgrid.cli.iot import (
    alerts_app,
    ingest_app,
    readings_app,
    sensors_app,
    simulate_app,
    worker,
)
from civicgrid.cli.open311 import app as open311_app

app = typer.Typer(
    name="civicgrid",
    help="civicgrid: city grid governance and benchmarking.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(demo.app, name="demo")
app.add_typer(areas.app, name="areas")
app.add_typer(users.app, name="users")
app.add_typer(cases.app, name="cases")
app.command("serve")(serve.serve)
app.add_typer(channels_app, name="channels")
app.add_typer(enterprises_app, name="enterprises")
app.add_typer(directive_commands.app, name="directives")
app.add_typer(report_commands.app, name="reports")
app.add_typer(sanbiao_commands.app, name="sanbiao")
app.add_typer(open311_app, name="open311")
app.add_typer(sensors_app, name="sensors")
app.add_typer(readings_app, name="readings")
app.add_typer(alerts_app, name="alerts")
app.add_typer(ingest_app, name="ingest")
app.add_typer(simulate_app, name="simulate")
app.command("worker")(worker)
# One add_typer line per later capability (channels, directives, reports, IoT, 三标).


def main() -> None:
    app()
