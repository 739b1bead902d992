"""The feed inside one process: for development and single-process deployments.

`LocalFanout` hands each event to every subscriber of this process, whatever thread
publishes it (use cases run in worker threads, subscribers on the event loop). The
NATS feed uses it too, for the events that arrive from the broker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from civicgrid.services.feed import FeedEvent, FeedSubscription

log = logging.getLogger(__name__)

BUFFER = 1000  # events a slow subscriber may lag behind before the oldest are dropped


class _Subscriber:
    def __init__(self, loop: asyncio.AbstractEventLoop, buffer: int) -> None:
        self._loop = loop
        self._queue: asyncio.Queue[FeedEvent] = asyncio.Queue(maxsize=buffer)
        self.dropped = 0

    def offer(self, event: FeedEvent) -> None:
        """From any thread."""
        # RuntimeError: the subscriber's loop has closed; it is leaving anyway.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._put, event)

    def _put(self, event: FeedEvent) -> None:
        if self._queue.full():  # a reader that stalls must not grow memory without bound
            self._queue.get_nowait()
            self.dropped += 1
        self._queue.put_nowait(event)

    async def next(self, timeout: float) -> FeedEvent | None:
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None


class LocalFanout:
    def __init__(self, buffer: int = BUFFER) -> None:
        self._buffer = buffer
        self._lock = threading.Lock()
        self._subscribers: set[_Subscriber] = set()

    def dispatch(self, event: FeedEvent) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            subscriber.offer(event)

    @property
    def subscribers(self) -> int:
        with self._lock:
            return len(self._subscribers)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[FeedSubscription]:
        subscriber = _Subscriber(asyncio.get_running_loop(), self._buffer)
        with self._lock:
            self._subscribers.add(subscriber)
        try:
            yield subscriber
        finally:
            with self._lock:
                self._subscribers.discard(subscriber)
            if subscriber.dropped:
                log.warning("a slow feed subscriber missed %d events", subscriber.dropped)


class MemoryFeed(LocalFanout):
    """Publishing is dispatching: only subscribers of this very process hear it."""

    def publish(self, event: FeedEvent) -> None:
        self.dispatch(event)

    def start(self) -> None:
        """Nothing to connect to."""

    def close(self) -> None:
        """Nothing to release; subscribers end with their streams."""
