"""The live feed: what changed in a subtree, told after the change is committed.

Use cases publish a `FeedEvent` once their transaction has committed, never inside
it: a listener must never hear of a change that a rollback later undoes. Delivery is
best effort and carries no history; a client that was away reads its inbox.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from civicgrid.domain.access import Principal, readable_scopes
from civicgrid.domain.areas.area import AreaPath, is_within
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.stages import Urgency
from civicgrid.domain.errors import Forbidden

SUMMARY_CHARS = 120


@dataclass(frozen=True, slots=True)
class FeedEvent:
    kind: str  # the case event type: "reported", "escalated", …
    case_id: int | None
    area_path: AreaPath  # where it happened; who may read this subtree may see it
    urgent: bool
    at: datetime
    summary: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "case_id": self.case_id,
            "area_path": self.area_path,
            "urgent": self.urgent,
            "at": self.at.isoformat(),
            "summary": self.summary,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeedEvent:
        """Raises KeyError, TypeError or ValueError on a malformed message."""
        case_id = data["case_id"]
        return cls(
            kind=str(data["kind"]),
            case_id=None if case_id is None else int(case_id),
            area_path=str(data["area_path"]),
            urgent=bool(data["urgent"]),
            at=datetime.fromisoformat(str(data["at"])),
            summary=str(data["summary"]),
        )


class FeedPublisher(Protocol):
    def publish(self, event: FeedEvent) -> None:
        """Hand the event to the feed and return at once; never raises, since the change
        it reports is committed already."""


class FeedSubscription(Protocol):
    async def next(self, timeout: float) -> FeedEvent | None:
        """The next event published anywhere, or None when `timeout` seconds pass."""


class Feed(FeedPublisher, Protocol):
    def subscribe(self) -> AbstractAsyncContextManager[FeedSubscription]:
        """Events published from now on, by this process or any other, until exit."""

    def start(self) -> None:
        """Connect; idempotent. A feed that cannot connect yet keeps trying."""

    def close(self) -> None: ...


def case_feed_event(case: Case, event: CaseEvent) -> FeedEvent:
    """The feed's account of `event`, which moved `case` to its current state."""
    if event.type is EventType.REPORTED:
        detail = f"reported: {case.description}"
    else:
        detail = f"{event.type.value}: {event.reason}" if event.reason else event.type.value
    summary = f"case {case.id} ({case.category}) {detail}"
    return FeedEvent(
        kind=event.type.value,
        case_id=case.id,
        area_path=case.area_path,
        urgent=case.urgency is Urgency.URGENT,
        at=event.at,
        summary=summary[:SUMMARY_CHARS],
    )


def publish_case_event(feed: FeedPublisher | None, case: Case, event: CaseEvent) -> None:
    """Call after the commit. `feed` None: nobody listens (a one-off command, a test)."""
    if feed is not None:
        feed.publish(case_feed_event(case, event))


def access_feed(principal: Principal) -> tuple[AreaPath, ...]:
    """The subtrees whose events `principal` may follow."""
    scopes = readable_scopes(principal)
    if not scopes:
        raise Forbidden(f"{principal.username} holds no grant and has no feed to follow")
    return scopes


def visible_in(scopes: tuple[AreaPath, ...], event: FeedEvent) -> bool:
    return any(is_within(event.area_path, scope) for scope in scopes)


async def watch_feed(
    scopes: tuple[AreaPath, ...],
    subscription: FeedSubscription,
    *,
    keepalive: float,
    clock: Callable[[], float],
    lasting: float,
) -> AsyncIterator[FeedEvent | None]:
    """The events inside `scopes`, and None whenever `keepalive` seconds passed without
    one, so the caller can show it is alive; ends after `lasting` seconds.

    `clock` returns monotonic seconds (the event loop's `time`).
    """
    end = clock() + lasting
    quiet_since = clock()
    while (now := clock()) < end:
        wait = min(keepalive - (now - quiet_since), end - now)
        event = await subscription.next(max(wait, 0.0))
        if event is not None and visible_in(scopes, event):
            quiet_since = clock()
            yield event
        elif clock() - quiet_since >= keepalive:
            quiet_since = clock()
            yield None
