"""civicgrid serve: the HTTP API."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from civicgrid.cli.context import reports_errors
from civicgrid.config import Settings


@reports_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Default: CIVICGRID_HOST or 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="Default: CIVICGRID_PORT or 8000")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 1,
) -> None:
    """Serve the API (and, later, the web application)."""
    settings = Settings()
    uvicorn.run(
        "civicgrid.api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
        # Live-feed streams stay open; do not wait minutes for them on shutdown.
        timeout_graceful_shutdown=3,
    )
