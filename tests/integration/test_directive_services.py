"""Directive and report use cases on a real database: the scheduler's tick and the feed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from civicgrid.adapters.feed_memory import MemoryFeed
from civicgrid.bootstrap import Container
from civicgrid.domain.access import Grant, Principal, Role, local_operator
from civicgrid.domain.areas import Level
from civicgrid.domain.directives import Content, Selection
from civicgrid.services.area_import import import_areas
from civicgrid.services.directives.issuing import issue_directive
from civicgrid.services.feed import FeedEvent, access_feed, watch_feed
from civicgrid.services.scheduler import CaseScheduler
from tests.factories import small_city

NINE = datetime(2026, 7, 20, 1, 0, tzinfo=UTC)
MICRO_PATH = "/410100/410102/410102001/410102001001/410102001001001/41010200100100101/"


def _issue(container: Container, feed: MemoryFeed | None = None) -> int:
    content = Content(title_zh="检查", body_zh="", sign_deadline_at=NINE + timedelta(hours=10))
    issued = issue_directive(
        container.uow(),
        local_operator(),
        content,
        Selection(level=Level.MICRO_GRID, within="410102"),
        now=NINE,
        from_area="410100",
        feed=feed,
    )
    return issued.directive.id


def _inbox_count(container: Container, path: str) -> int:
    with container.uow() as uow:
        return uow.notifications.inbox(0, [path], offset=0, limit=1).count


def test_the_case_scheduler_tick_sends_directive_reminders_and_escalations_once(
    container: Container,
) -> None:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    _issue(container)
    clock = {"now": NINE}
    scheduler = CaseScheduler(
        container.uow, lambda: container.rules, lambda: clock["now"], None, every=30
    )
    assert _inbox_count(container, MICRO_PATH) == 1  # the directive itself
    clock["now"] = NINE + timedelta(hours=8, minutes=1)  # past 80 % of ten hours
    scheduler.tick()
    scheduler.tick()
    assert _inbox_count(container, MICRO_PATH) == 2  # one reminder, not two
    clock["now"] = NINE + timedelta(hours=10, minutes=1)
    scheduler.tick()
    scheduler.tick()
    grid = MICRO_PATH.rsplit("/", 2)[0] + "/"
    assert _inbox_count(container, grid) == 1  # its grid is told once


def test_each_targeted_unit_hears_of_the_directive_on_the_live_feed(container: Container) -> None:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    feed = MemoryFeed()
    worker = Principal(7, "w", (Grant(Role.GRID_WORKER, "41010200100100101", MICRO_PATH),))

    async def listen() -> list[FeedEvent | None]:
        loop = asyncio.get_running_loop()
        seen: list[FeedEvent | None] = []
        async with feed.subscribe() as subscription:
            await asyncio.to_thread(_issue, container, feed)
            async for item in watch_feed(
                access_feed(worker), subscription, keepalive=60, clock=loop.time, lasting=5
            ):
                seen.append(item)
                break
        return seen

    [event] = asyncio.run(listen())
    assert event is not None
    assert (event.kind, event.area_path) == ("directive_issued", MICRO_PATH)
    assert "检查" in event.summary
