"""civicgrid db: migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from civicgrid.adapters.db import migrate
from civicgrid.cli.context import console, reports_errors
from civicgrid.config import Settings

app = typer.Typer(help="Database migrations.", no_args_is_help=True)


@app.command("upgrade")
@reports_errors
def upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    settings = Settings()
    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.sqlalchemy_url, revision)
    console.print(
        f"database at {revision}: {_safe(settings.sqlalchemy_url)}", markup=False, soft_wrap=True
    )


@app.command("downgrade")
@reports_errors
def downgrade(revision: Annotated[str, typer.Argument()] = "base") -> None:
    """Migrate the database down to REVISION (default: empty)."""
    settings = Settings()
    migrate.downgrade(settings.sqlalchemy_url, revision)
    console.print(
        f"database at {revision}: {_safe(settings.sqlalchemy_url)}", markup=False, soft_wrap=True
    )


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
