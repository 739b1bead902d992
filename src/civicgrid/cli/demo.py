"""civicgrid demo: the Zhengzhou demo city."""

from __future__ import annotations

from typing import Annotated

import typer

from civicgrid.adapters.demo_zhengzhou import build_demo_areas
from civicgrid.cli.context import console, container, progress_bar, reports_errors
from civicgrid.services.area_import import import_areas
from civicgrid.services.demo_users import ensure_demo_users

app = typer.Typer(help="The Zhengzhou demo.", no_args_is_help=True)


@app.command("load")
@reports_errors
def load(
    seed: Annotated[int, typer.Option(help="Seed of the synthetic grids")] = 2023,
    users: Annotated[bool, typer.Option(help="Create demo users and tokens")] = True,
) -> None:
    """Build the demo city (real districts, streets, communities; synthetic grids) and store it."""
    c = container()
    with progress_bar() as progress:
        areas = build_demo_areas(seed=seed, progress=progress)
        report = import_areas(c.uow(), areas, english_name=c.english_name, progress=progress)
    counts = report.counts
    console.print(
        f"Zhengzhou demo: {counts.created} created, {counts.updated} updated, "
        f"{counts.unchanged} unchanged"
    )
    if users:
        path = c.settings.data_dir / "demo-credentials.txt"
        created = ensure_demo_users(c.uow(), c.hasher, now=c.clock())
        if created:
            lines = [
                f"{u.username}\t{u.role}\t{u.area_code}\t{u.password}\t{u.token}" for u in created
            ]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("username\trole\tarea\tpassword\ttoken\n" + "\n".join(lines) + "\n")
            path.chmod(0o600)
            console.print(f"demo users created; their passwords and tokens are in {path}")
