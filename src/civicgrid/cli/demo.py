"""civicgrid demo: the Zhengzhou demo city."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from civicgrid.adapters.demo_zhengzhou import build_demo_areas
from civicgrid.cli.context import console, container, progress_bar, reports_errors
from civicgrid.cli.demo_cases import simulate_cases, simulate_demo_cases
from civicgrid.cli.sanbiao_demo import seed_sanbiao_demo
from civicgrid.services.area_import import import_areas
from civicgrid.services.area_tags import tag_demo_areas
from civicgrid.services.demo_users import ensure_demo_users

app = typer.Typer(help="The Zhengzhou demo.", no_args_is_help=True)


@app.command("load")
@reports_errors
def load(
    seed: Annotated[int, typer.Option(help="Seed of the synthetic grids")] = 2023,
    users: Annotated[bool, typer.Option(help="Create demo users and tokens")] = True,
    cases: Annotated[bool, typer.Option(help="Simulate a year of synthetic case activity")] = True,
) -> None:
    """Build the demo city (real districts, streets, communities; synthetic grids) and store it."""
    with container() as c:
        with progress_bar() as progress:
            areas = build_demo_areas(seed=seed, progress=progress)
            report = import_areas(c.uow(), areas, english_name=c.english_name, progress=progress)
        tag_demo_areas(c.uow)  # synthetic tags on 金水区's micro-grids: flood-risk, has-underpass
        seed_sanbiao_demo(c)  # 三标: source-document figures and lessons, synthetic values
        if cases:  # synthetic case activity, so that the case indicators have data
            simulate_demo_cases(c, seed=seed)
        counts = report.counts
        console.print(
            f"Zhengzhou demo: {counts.created} created, {counts.updated} updated, "
            f"{counts.unchanged} unchanged"
        )
        created = ensure_demo_users(c.uow(), c.hasher, now=c.clock()) if users else []
        path = c.settings.data_dir / "demo-credentials.txt"
    if created:
        rows = [(u.username, u.role, u.area_code, u.password, u.token) for u in created]
        lines = [
            "\t".join(row) for row in [("username", "role", "area", "password", "token"), *rows]
        ]
        _write_private(path, "\n".join(lines) + "\n")
        console.print(
            f"demo users created; their passwords and tokens are in {escape(str(path))}",
            soft_wrap=True,
        )


app.command("simulate-cases")(simulate_cases)


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, with no moment in which others could."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # O_CREAT's mode does not apply to a file that already exists
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
