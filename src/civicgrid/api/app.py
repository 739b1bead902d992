"""The app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from civicgrid import __version__
from civicgrid.api.errors import install_error_handlers
from civicgrid.api.limits import BodySizeLimit
from civicgrid.api.routes import areas, cases, health
from civicgrid.bootstrap import Container, bootstrap
from civicgrid.config import Settings


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    container = container or bootstrap(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        container.dispose()

    app = FastAPI(
        title="civicgrid",
        version=__version__,
        summary="City grid governance: five-level grids, cases, directives, alerts and 三标",
        lifespan=lifespan,
    )
    app.state.container = container
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(areas.router)
    app.include_router(cases.router)
    app.add_middleware(BodySizeLimit, max_bytes=container.settings.max_body_bytes)
    return app
