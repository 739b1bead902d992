"""Mounting the web pages and their static files on the application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from civicgrid.web.routes import (
    case_new,
    directive_progress,
    directive_receipts,
    directives,
    login,
    report,
    reports,
    sanbiao_board,
    staff_admin_all,
    staff_alerts,
    staff_cases,
    staff_map,
    staff_screen,
    staff_sensors,
    track,
    workbench,
)
from civicgrid.web.routes import map as map_routes

STATIC = Path(__file__).parent / "static"
REPORT_PATH = report.REPORT_PATH  # takes a photo: the app gives it the upload body limit
PHOTO_PAGES = (  # the same, for staff
    case_new.NEW_CASE_PATH,
    staff_cases.ACTION_PATH,
    directives.ISSUE_PATH,
    directive_receipts.FEEDBACK_PATH,
    reports.SUBMIT_PATH,
)


def mount_web(app: FastAPI) -> None:
    """The pages, and /static for the stylesheet, scripts and vendored libraries.

    The citizen pages live under /citizen/, which the public rate limit covers.
    """
    app.include_router(report.router)
    app.include_router(track.router)
    app.include_router(map_routes.router)
    app.include_router(login.router)
    app.include_router(workbench.router)
    app.include_router(case_new.router)  # before /staff/cases/{case_id}
    app.include_router(staff_cases.router)
    app.include_router(staff_alerts.router)
    app.include_router(staff_sensors.router)
    app.include_router(sanbiao_board.router)
    app.include_router(staff_screen.router)
    app.include_router(directives.router)  # before /staff/directives/{directive_id}
    app.include_router(directive_receipts.router)
    app.include_router(directive_progress.router)
    app.include_router(reports.router)
    for admin_router in staff_admin_all.ROUTERS:
        app.include_router(admin_router)
    app.include_router(staff_map.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
