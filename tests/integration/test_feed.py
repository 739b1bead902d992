"""The live feed: published after the commit, filtered by scope, carried by NATS."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from civicgrid.adapters.feed_memory import MemoryFeed
from civicgrid.adapters.feed_nats import NatsFeed, subject_for
from civicgrid.bootstrap import Container
from civicgrid.domain.access import Grant, Principal, Role
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.errors import Forbidden
from civicgrid.services.cases.acting import act_on_case
from civicgrid.services.cases.ticking import tick_cases
from civicgrid.services.feed import Feed, FeedEvent, access_feed, watch_feed
from tests.integration.case_people import MONDAY_9AM, add_people, report, require_nats

MICRO_PATH = "/410100/410102/410102001/410102001001/410102001001001/41010200100100101/"
DISTRICT_PATH = "/410100/410102/"
OTHER_DISTRICT_PATH = "/410100/410103/"


def event_at(path: str, kind: str = "reported", case_id: int = 1) -> FeedEvent:
    return FeedEvent(kind, case_id, path, False, MONDAY_9AM, f"case {case_id}")


def principal_at(*paths: str, role: Role = Role.DISTRICT_OFFICER) -> Principal:
    grants = tuple(
        Grant(role=role, area_code=p.strip("/").split("/")[-1], area_path=p) for p in paths
    )
    return Principal(user_id=7, username="someone", grants=grants)


async def collect(
    feed: Feed,
    principal: Principal,
    publish: Callable[[], None],
    *,
    wanted: int,
    within: float = 5.0,
) -> list[FeedEvent | None]:
    """Subscribe, then `publish`, then gather `wanted` items of the principal's feed."""
    loop = asyncio.get_running_loop()
    seen: list[FeedEvent | None] = []
    async with feed.subscribe() as subscription:
        await asyncio.to_thread(publish)  # as a use case does, from a worker thread
        async for item in watch_feed(
            access_feed(principal), subscription, keepalive=60, clock=loop.time, lasting=within
        ):
            seen.append(item)
            if len(seen) == wanted:
                break
    return seen


# The memory feed and the filter


def test_a_reader_sees_the_events_of_their_subtree_and_no_other() -> None:
    feed = MemoryFeed()
    events = [
        event_at(MICRO_PATH, case_id=1),
        event_at(OTHER_DISTRICT_PATH + "410103001/", case_id=2),
        event_at(DISTRICT_PATH, case_id=3),
        event_at("/410100/", case_id=4),
    ]

    def publish() -> None:
        for event in events:
            feed.publish(event)

    seen = asyncio.run(collect(feed, principal_at(DISTRICT_PATH), publish, wanted=2))
    assert [e.case_id for e in seen if e is not None] == [1, 3]


def test_a_reader_with_grants_in_two_districts_sees_both() -> None:
    feed = MemoryFeed()

    def publish() -> None:
        feed.publish(event_at(MICRO_PATH, case_id=1))
        feed.publish(event_at(OTHER_DISTRICT_PATH, case_id=2))

    reader = principal_at(DISTRICT_PATH, OTHER_DISTRICT_PATH)
    seen = asyncio.run(collect(feed, reader, publish, wanted=2))
    assert [e.case_id for e in seen if e is not None] == [1, 2]


def test_a_quiet_feed_yields_keep_alives_and_ends_when_its_time_is_up() -> None:
    async def watch() -> list[FeedEvent | None]:
        feed = MemoryFeed()
        loop = asyncio.get_running_loop()
        async with feed.subscribe() as subscription:
            feed.publish(event_at(OTHER_DISTRICT_PATH))  # not for this reader: no reset
            return [
                item
                async for item in watch_feed(
                    (DISTRICT_PATH,), subscription, keepalive=0.1, clock=loop.time, lasting=0.35
                )
            ]

    assert asyncio.run(watch()) == [None, None, None]


def test_someone_without_a_grant_has_no_feed() -> None:
    with pytest.raises(Forbidden, match="no grant"):
        access_feed(Principal(user_id=1, username="nobody", grants=()))


def test_a_subscriber_that_left_hears_nothing_more() -> None:
    async def run() -> int:
        feed = MemoryFeed()
        async with feed.subscribe():
            assert feed.subscribers == 1
        feed.publish(event_at(MICRO_PATH))
        return feed.subscribers

    assert asyncio.run(run()) == 0


# The use cases publish after their commit


@pytest.fixture
def people(container: Container) -> dict[str, Principal]:
    return add_people(container)


def test_reporting_acting_and_escalating_reach_the_feed_in_order(
    container: Container, people: dict[str, Principal]
) -> None:
    feed = MemoryFeed()

    def work() -> None:
        case_id = report(container, people["inspector"], feed)
        tick_cases(
            container.uow(),
            container.rules,
            now=MONDAY_9AM + timedelta(minutes=45),  # 受理 has 30 minutes
            holder="t",
            feed=feed,
        )
        act_on_case(
            container.uow(),
            container.rules,
            people["acceptor"],
            case_id,
            CaseAction.ACCEPT,
            now=MONDAY_9AM + timedelta(minutes=50),
            feed=feed,
        )

    seen = asyncio.run(collect(feed, people["officer"], work, wanted=3))
    assert [(e.kind, e.area_path) for e in seen if e is not None] == [
        ("reported", MICRO_PATH),
        ("escalated", MICRO_PATH),
        ("accepted", MICRO_PATH),
    ]


def test_another_district_hears_nothing_of_the_case(
    container: Container, people: dict[str, Principal]
) -> None:
    feed = MemoryFeed()

    async def watch() -> list[FeedEvent | None]:
        loop = asyncio.get_running_loop()
        async with feed.subscribe() as subscription:
            await asyncio.to_thread(report, container, people["inspector"], feed)
            scopes = access_feed(people["other_officer"])
            return [
                item
                async for item in watch_feed(
                    scopes, subscription, keepalive=60, clock=loop.time, lasting=0.3
                )
            ]

    assert asyncio.run(watch()) == []


def test_a_refused_or_repeated_report_publishes_nothing(
    container: Container, people: dict[str, Principal]
) -> None:
    feed = MemoryFeed()

    def work() -> None:
        report(container, people["inspector"], feed, key="k-1")
        report(container, people["inspector"], feed, key="k-1")  # the same case again
        with pytest.raises(Forbidden):
            report(container, people["other_officer"], feed)  # rolled back
        feed.publish(event_at(MICRO_PATH, kind="marker", case_id=0))

    seen = asyncio.run(collect(feed, people["officer"], work, wanted=2))
    assert [e.kind for e in seen if e is not None] == ["reported", "marker"]


# NATS


@pytest.fixture
def two_nats_feeds() -> Iterator[tuple[NatsFeed, NatsFeed]]:
    """Two feeds as two processes hold them, on a subject of this test's own."""
    nats_url = require_nats()
    subject = f"civicgrid.test{uuid.uuid4().hex[:8]}"
    one, two = NatsFeed(nats_url, subject=subject), NatsFeed(nats_url, subject=subject)
    try:
        one.start()
        two.start()
        assert one.connected
        assert two.connected
        yield one, two
    finally:
        one.close()
        two.close()


def test_an_event_published_on_one_connection_reaches_the_other(
    two_nats_feeds: tuple[NatsFeed, NatsFeed],
) -> None:
    publisher, listener = two_nats_feeds
    sent = event_at(MICRO_PATH, kind="escalated", case_id=42)
    far = event_at(OTHER_DISTRICT_PATH, case_id=43)

    def publish() -> None:
        publisher.publish(far)
        publisher.publish(sent)

    seen = asyncio.run(collect(listener, principal_at(DISTRICT_PATH), publish, wanted=1))
    assert seen == [sent]  # the same event, intact, and the other district's filtered out


def test_a_feed_without_a_broker_drops_events_and_closes_without_raising() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the probe closes
    feed = NatsFeed(f"nats://127.0.0.1:{port}")
    feed.start(wait=0.2)
    assert not feed.connected
    feed.publish(event_at(MICRO_PATH))
    feed.close()
    feed.publish(event_at(MICRO_PATH))  # after close: dropped, not a new connection


def test_subjects_carry_the_area_path_so_a_subtree_can_be_followed() -> None:
    assert subject_for("civicgrid.feed", MICRO_PATH) == (
        "civicgrid.feed.410100.410102.410102001.410102001001.410102001001001.41010200100100101"
    )
    assert subject_for("p", "/") == "p._"
    assert subject_for("p", "/a.b/c*/") == "p.a_b.c_"
