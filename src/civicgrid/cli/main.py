"""The `civicgrid` command."""

from __future__ import annotations

import typer

from civicgrid.cli import areas, cases, db, demo, serve, users

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
# One add_typer line per later capability (channels, directives, reports, IoT, 三标).


def main() -> None:
    app()
