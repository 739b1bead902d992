"""The feed across processes, over core NATS publish/subscribe.

Subjects are `<prefix>.<code>.<code>…`, the area path's codes as tokens (city first),
so another consumer can follow one subtree with `<prefix>.410100.410102.>`; the
payload carries the path too. Each process holds one connection and one subscription
to `<prefix>.>` and hands what arrives to its own subscribers (`LocalFanout`); the
use case then keeps what each reader may see.

The client runs on an event loop of its own, in a daemon thread, so publishing works
the same from a request's worker thread, from the scheduler and from a command line
with no loop at all. While the broker is away the client reconnects for ever; events
published in between are buffered by the client once it has connected, and dropped
(with a warning) before it ever has: the feed is best effort and the inbox is not.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from collections.abc import AsyncIterator
from concurrent.futures import Future
from contextlib import asynccontextmanager

from nats.aio.client import Client
from nats.aio.msg import Msg

from civicgrid.adapters.feed_memory import LocalFanout
from civicgrid.domain.areas.area import AreaPath, path_codes
from civicgrid.services.feed import FeedEvent, FeedSubscription

log = logging.getLogger(__name__)

DEFAULT_SUBJECT = "civicgrid.feed"
RECONNECT_WAIT_S = 1
CONNECT_TIMEOUT_S = 2
CLOSE_TIMEOUT_S = 5.0
_UNSAFE_TOKEN = re.compile(r"[\s.*>]")


def subject_for(prefix: str, area_path: AreaPath) -> str:
    tokens = [_UNSAFE_TOKEN.sub("_", code) for code in path_codes(area_path)]
    return ".".join([prefix, *tokens]) if tokens else f"{prefix}._"


class NatsFeed:
    def __init__(self, servers: str, *, subject: str = DEFAULT_SUBJECT, name: str = "") -> None:
        self._servers = [s.strip() for s in servers.split(",") if s.strip()]
        self._prefix = subject
        self._name = name or "civicgrid"
        self._fanout = LocalFanout()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: Future[None] | None = None
        self._client: Client | None = None
        self._connected = threading.Event()
        self._warned_offline = False
        self._closed = False

    @property
    def connected(self) -> bool:
        client = self._client
        return client is not None and client.is_connected

    def start(self, wait: float = CONNECT_TIMEOUT_S) -> None:
        """Connect in the background; wait up to `wait` seconds for the first connection,
        but never fail: the feed keeps trying while the application serves."""
        self._closed = False
        if self._launch() and not self._connected.wait(wait):
            log.warning("NATS at %s is not reachable yet; the feed keeps trying", self._servers)

    def publish(self, event: FeedEvent) -> None:
        if self._closed:  # the process is shutting down
            log.debug("feed event dropped after close: %s", event.summary)
            return
        try:
            self.start()  # a command line publishes without having started the feed
            client, loop = self._client, self._loop
            if client is None or loop is None or not self._connected.is_set():
                if not self._warned_offline:
                    log.warning("feed event dropped: NATS at %s never answered", self._servers)
                    self._warned_offline = True
                return
            payload = json.dumps(event.as_dict(), ensure_ascii=False).encode()
            subject = subject_for(self._prefix, event.area_path)
            sent = asyncio.run_coroutine_threadsafe(client.publish(subject, payload), loop)
            sent.add_done_callback(_log_failure)
        except Exception:  # the change is committed; a feed problem must not undo the request
            log.exception("feed event dropped")

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[FeedSubscription]:
        self._launch()
        async with self._fanout.subscribe() as subscription:
            yield subscription

    def close(self) -> None:
        self._closed = True
        with self._lock:
            loop, thread, runner = self._loop, self._thread, self._runner
            self._loop = self._thread = self._runner = None
        if loop is None or thread is None:
            return
        if runner is not None:
            runner.cancel()  # still connecting to a broker that is not there
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(CLOSE_TIMEOUT_S)
        except Exception:
            log.warning("the NATS connection did not close cleanly", exc_info=True)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(CLOSE_TIMEOUT_S)
        if not thread.is_alive():
            loop.close()
        self._client = None
        self._connected.clear()

    # On the feed's own loop.

    def _launch(self) -> bool:
        """Start the loop thread and the connection unless running; True if started now."""
        with self._lock:
            if self._thread is not None:
                return False
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="feed-nats", daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread
            self._runner = asyncio.run_coroutine_threadsafe(self._connect(), loop)
            return True

    async def _connect(self) -> None:
        client = Client()
        self._client = client
        # max_reconnect_attempts=-1: retry for ever, the first connection included.
        await client.connect(
            servers=self._servers,
            name=self._name,
            connect_timeout=CONNECT_TIMEOUT_S,
            reconnect_time_wait=RECONNECT_WAIT_S,
            max_reconnect_attempts=-1,
            error_cb=self._on_error,
            disconnected_cb=self._on_disconnected,
            reconnected_cb=self._on_reconnected,
        )
        await client.subscribe(f"{self._prefix}.>", cb=self._on_message)
        self._connected.set()
        self._warned_offline = False
        log.info("feed connected to NATS at %s", client.connected_url)

    async def _shutdown(self) -> None:
        client = self._client
        if client is not None and not client.is_closed:
            try:  # drain: deliver what was published, then close
                await asyncio.wait_for(client.drain(), CLOSE_TIMEOUT_S / 2)
            except Exception:
                await _close_quietly(client)
        current = asyncio.current_task()
        leftovers = [t for t in asyncio.all_tasks() if t is not current]
        for task in leftovers:
            task.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)

    async def _on_message(self, msg: Msg) -> None:
        try:
            event = FeedEvent.from_dict(json.loads(msg.data))
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed feed message on %s", msg.subject)
            return
        self._fanout.dispatch(event)

    async def _on_error(self, error: Exception) -> None:
        # Called on every failed attempt while the broker is away: keep it quiet.
        log.debug("NATS: %s", error)

    async def _on_disconnected(self) -> None:
        if not self._closed:  # closing drains and disconnects on purpose
            log.warning("feed lost its NATS connection; reconnecting")

    async def _on_reconnected(self) -> None:
        client = self._client
        log.warning("feed reconnected to NATS at %s", client.connected_url if client else "?")


async def _close_quietly(client: Client) -> None:
    try:
        await client.close()
    except Exception:  # half-connected: nothing more to release
        log.debug("closing the NATS client failed", exc_info=True)


def _log_failure(sent: Future[None]) -> None:
    if not sent.cancelled() and sent.exception() is not None:
        log.warning("feed event dropped: %s", sent.exception())
