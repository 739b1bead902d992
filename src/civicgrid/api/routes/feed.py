"""/api/v1/feed, the live feed of one's subtree, and /api/v1/notifications, the inbox.

The feed is server-sent events with simple semantics: events from the moment of
connecting, no replay (no Last-Event-ID), a keep-alive comment when nothing happened
for a while, and an end after a few minutes, after which EventSource reconnects by
itself. What happened in between is in the inbox.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse

from civicgrid.api.deps import ContainerDep, CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.schemas.feed import FeedEventPublic, NotificationList, NotificationPublic
from civicgrid.domain.areas.area import AreaPath
from civicgrid.services import inbox
from civicgrid.services.feed import Feed, access_feed, watch_feed

router = APIRouter(prefix="/api/v1", tags=["feed"], responses=ERROR_RESPONSES)

KEEPALIVE_SECONDS = 15.0  # below the idle timeouts of common proxies (nginx: 60 s)
STREAM_SECONDS = 300.0  # then the client reconnects: a bound on every stream's life
RETRY_MS = 3000

NotificationId = Annotated[int, Path(ge=1, le=2**31 - 1)]


# Not in the OpenAPI document: a stream that never ends is no operation a schema-driven
# client or fuzzer can call.
@router.get("/feed", include_in_schema=False)
async def follow_feed(container: ContainerDep, principal: CurrentPrincipal) -> StreamingResponse:
    """Server-sent events about the cases in the caller's subtree, as they happen."""
    scopes = access_feed(principal)
    return StreamingResponse(
        _stream(container.feed, scopes),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _stream(feed: Feed, scopes: tuple[AreaPath, ...]) -> AsyncIterator[str]:
    clock = asyncio.get_running_loop().time
    async with feed.subscribe() as subscription:
        # Sent once subscribed: from here on nothing published is missed.
        yield f"retry: {RETRY_MS}\n: subscribed\n\n"
        async for event in watch_feed(
            scopes, subscription, keepalive=KEEPALIVE_SECONDS, clock=clock, lasting=STREAM_SECONDS
        ):
            if event is None:
                yield ": keep-alive\n\n"
            else:
                yield f"data: {FeedEventPublic.of(event).model_dump_json()}\n\n"


@router.get("/notifications")
def list_notifications(
    container: ContainerDep,
    principal: CurrentPrincipal,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=inbox.MAX_PAGE_SIZE)] = 50,
) -> NotificationList:
    """The caller's inbox: notifications addressed to the areas of their grants, newest first."""
    found = inbox.get_inbox(container.uow(), principal, page=page, page_size=page_size)
    return NotificationList(
        data=[NotificationPublic.of(item) for item in found.items],
        count=found.count,
        page=page,
        page_size=page_size,
    )


@router.post("/notifications/{notification_id}/read")
def mark_notification_read(
    container: ContainerDep, principal: CurrentPrincipal, notification_id: NotificationId
) -> NotificationPublic:
    """Mark one notification of the caller's inbox read (again: no change)."""
    marked = inbox.do_mark_read(container.uow(), principal, notification_id, now=container.clock())
    return NotificationPublic.of(marked)
