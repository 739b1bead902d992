"""Per-client rate limits on public endpoints; staff endpoints are never limited.

A token bucket per client address: `burst` requests at once, refilled at `per_minute`.
A limited client gets 429 with Retry-After (whole seconds), in the shape its endpoint
speaks: Open311 errors under /open311/, a page for a browser asking for one (see
`civicgrid.web.limit_pages`), the API's error object elsewhere.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from civicgrid.api.open311_format import FORMATS, error_body
from civicgrid.web.limit_pages import rate_limited_page, wants_page

PUBLIC_PREFIXES = ("/open311/", "/citizen/", "/staff/login")  # the last: password guessing
"""Paths whose every request counts against the client's budget."""

_MAX_CLIENTS = 100_000  # forget idle buckets beyond this many


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    def __init__(
        self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, client: str) -> float:
        """0 when `client` may go ahead now, else the seconds until it may."""
        now = self._clock()
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= _MAX_CLIENTS:
                self._forget_full(now)
            bucket = self._buckets[client] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled: they hold nothing a new bucket would not."""
        full = [
            key
            for key, b in self._buckets.items()
            if b.tokens + (now - b.at) * self.rate >= self.burst
        ]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= _MAX_CLIENTS:
            self._buckets.clear()


class PublicRateLimit:
    """ASGI middleware: limits requests under `prefixes`, per client address."""

    def __init__(
        self, app: ASGIApp, limiter: RateLimiter, prefixes: tuple[str, ...] = PUBLIC_PREFIXES
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or not self.limiter.enabled
            or not path.startswith(self.prefixes)
        ):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.limiter.take(client[0] if client else "unknown")
        if not wait:
            await self.app(scope, receive, send)
            return
        retry = max(1, math.ceil(wait))
        request = Request(scope)
        if wants_page(request):  # a person's browser: a page in their language
            await rate_limited_page(request, retry)(scope, receive, send)
            return
        message = f"too many requests from this client; retry in {retry} s"
        if path.startswith("/open311/"):
            fmt = "xml" if path.endswith(".xml") else "json"
            body, media = error_body(fmt, 429, [(429, message)]), FORMATS[fmt]
        else:
            error = {"status": 429, "code": "rate_limited", "message": message, "field": None}
            body = json.dumps({"error": error}).encode()
            media = "application/json"
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", media.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(retry).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
