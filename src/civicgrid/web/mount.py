"""Mounting the web pages and their static files on the application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from civicgrid.web.routes import login, report, track
from civicgrid.web.routes import map as map_routes

STATIC = Path(__file__).parent / "static"
REPORT_PATH = report.REPORT_PATH  # takes a photo: the app gives it the upload body limit


def mount_web(app: FastAPI) -> None:
    """The pages, and /static for the stylesheet, scripts and vendored libraries.

    The citizen pages live under /citizen/, which the public rate limit covers.
    """
    app.include_router(report.router)
    app.include_router(track.router)
    app.include_router(map_routes.router)
    app.include_router(login.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
