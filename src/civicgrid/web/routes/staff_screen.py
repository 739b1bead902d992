"""/staff/screen: 一屏观全域, the leader screen of a district or the city.

The page holds the panels; /staff/screen/panels renders them again (an HTML fragment),
and /staff/screen/events is the live feed of the area (server-sent events) on which
static/js/screen.js fetches the panels anew. The feed's semantics are those of
/api/v1/feed: events from the moment of connecting, keep-alives, an end after a few
minutes (EventSource reconnects, and the session is checked again).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from starlette.responses import Response

from civicgrid.adapters.db.sanbiao_uow import SqlSanbiaoUnitOfWork
from civicgrid.adapters.indicator_limits import TreeCategoryLimits
from civicgrid.domain.areas.area import AreaPath
from civicgrid.services.feed import Feed, watch_feed
from civicgrid.services.leader_screen import CaseRules, Screen, screen_scope, show_screen
from civicgrid.services.sanbiao.board import home_area
from civicgrid.web import sanbiao_view as view
from civicgrid.web.routes.sanbiao_board import board_context
from civicgrid.web.staff import StaffDep, StaffPage, StaffRoute

router = APIRouter(prefix="/staff/screen", route_class=StaffRoute, include_in_schema=False)

AreaParam = Annotated[str | None, Query(max_length=20)]

KEEPALIVE_SECONDS = 15.0
STREAM_SECONDS = 300.0
RETRY_MS = 3000


def _screen(staff: StaffPage, area: str | None) -> Screen:
    c = staff.page.container
    limits = TreeCategoryLimits.of(c.rules)
    return show_screen(
        SqlSanbiaoUnitOfWork(c.session_factory),
        c.iot_uow(),
        staff.principal,
        area or home_area(staff.principal),
        CaseRules(limits, limits.calendar, c.indicator_facts),
        board_context(staff),
    )


def _panels(staff: StaffPage, screen: Screen) -> dict[str, Any]:
    page = staff.page
    return {
        "screen": screen,
        "view": view,
        "statuses": view.status_words(page),
        "overdue_chart": {
            "names": [page.name(o.area.name_zh, o.area.name_en) for o in screen.overdue_by_child],
            "counts": [o.count for o in screen.overdue_by_child],
            "label": page.gettext("Overdue cases"),
        },
    }


@router.get("")
def leader_screen(staff: StaffDep, area: AreaParam = None) -> Response:
    """The whole screen; its panels refresh themselves."""
    screen = _screen(staff, area)
    return staff.render("staff/screen.html", _panels(staff, screen))


@router.get("/panels")
def screen_panels(staff: StaffDep, area: AreaParam = None) -> Response:
    """The panels alone, for the page to swap in when something changed."""
    screen = _screen(staff, area)
    return staff.page.render("staff/_screen_panels.html", _panels(staff, screen))


@router.get("/events")
async def screen_events(staff: StaffDep, area: AreaParam = None) -> StreamingResponse:
    """What happens inside the area, as server-sent events: the page's cue to refresh."""
    c = staff.page.container
    scope = await asyncio.to_thread(
        screen_scope, c.uow(), staff.principal, area or home_area(staff.principal)
    )
    return StreamingResponse(
        _stream(c.feed, scope),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _stream(feed: Feed, scope: AreaPath) -> AsyncIterator[str]:
    clock = asyncio.get_running_loop().time
    async with feed.subscribe() as subscription:
        yield f"retry: {RETRY_MS}\n: subscribed\n\n"
        async for event in watch_feed(
            (scope,), subscription, keepalive=KEEPALIVE_SECONDS, clock=clock, lasting=STREAM_SECONDS
        ):
            if event is None:
                yield ": keep-alive\n\n"
            else:  # only what the page needs to know that it should look again
                body = {"kind": event.kind, "case_id": event.case_id, "at": event.at.isoformat()}
                yield f"data: {json.dumps(body)}\n\n"
