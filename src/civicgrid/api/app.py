"""The app factory."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from civicgrid import __version__
from civicgrid.api.errors import install_error_handlers
from civicgrid.api.limits import BodySizeLimit
from civicgrid.api.ratelimit import PublicRateLimit, RateLimiter
from civicgrid.api.routes import alerts as alert_routes
from civicgrid.api.routes import (
    area_tags,
    areas,
    attachments,
    cases,
    directives,
    feed,
    health,
    indicators,
    open311,
    reports,
)
from civicgrid.api.routes import readings as reading_routes
from civicgrid.api.routes import sensors as sensor_routes
from civicgrid.api.routes.enterprises import router as enterprises_router
from civicgrid.api.routes.sanbiao import router as sanbiao_router
from civicgrid.bootstrap import Container, bootstrap
from civicgrid.config import Settings
from civicgrid.services.scheduler import CaseScheduler
from civicgrid.web import PHOTO_PAGES, REPORT_PATH, mount_web


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    container = container or bootstrap(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(container.feed.start)
        if container.settings.warm_start_on:
            await asyncio.to_thread(container.warm_up)
            # What is built now lives as long as the process: full collections skip it.
            gc.freeze()
        container.serve_in_background()
        scheduler = _scheduler(container)
        if scheduler is not None:
            scheduler.start()
        try:
            yield
        finally:
            if scheduler is not None:
                await scheduler.stop()
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
    # Requests are matched against the routes in order: the machine-rate endpoints first
    # (sensor readings, Open311 and case creates), each prefix being distinct.
    app.include_router(reading_routes.router)
    app.include_router(open311.router)
    app.include_router(cases.router)
    app.include_router(areas.router)
    app.include_router(feed.router)
    app.include_router(attachments.router)
    app.include_router(indicators.router)
    app.include_router(enterprises_router)
    app.include_router(directives.router)
    app.include_router(area_tags.router)
    app.include_router(reports.router)
    app.include_router(sanbiao_router)
    app.include_router(sensor_routes.router)
    app.include_router(alert_routes.router)
    # One include line per later capability (citizens, directives, reports, IoT, 三标, web).
    mount_web(app)  # the server-rendered pages and /static
    upload_limit = attachments.upload_body_limit(container.settings.attachment_max_bytes)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=container.settings.max_body_bytes,
        allowances={attachments.UPLOAD_PATH: upload_limit, REPORT_PATH: upload_limit}
        | dict.fromkeys(PHOTO_PAGES, upload_limit)
        | dict.fromkeys(open311.REQUEST_PATHS, upload_limit * open311.MAX_MEDIA)
        | {reading_routes.PATH: reading_routes.MAX_BODY},
    )
    settings = container.settings  # public endpoints only; staff endpoints are never limited
    limiter = RateLimiter(settings.public_rate_per_minute, settings.public_rate_burst)
    app.add_middleware(PublicRateLimit, limiter=limiter)
    return app


def _scheduler(container: Container) -> CaseScheduler | None:
    """Every server process ticks; the lease in the tick lets one act at a time."""
    if not container.settings.tick_seconds:
        return None
    return CaseScheduler(
        container.uow,
        lambda: container.rules,
        lambda: container.clock(),  # late-bound: tests replace the clock
        container.feed,
        every=container.settings.tick_seconds,
        zone=container.settings.zone,
    )
