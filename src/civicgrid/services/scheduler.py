"""The scheduler inside `civicgrid serve`: the escalation tick, every `tick_seconds`.

Every server process runs one. The tick's database lease lets one process act at a
time, and a tick repeated changes nothing, so any number of processes may run it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime

from civicgrid.services.case_ports import CaseRules
from civicgrid.services.cases.ticking import TickReport, tick_cases
from civicgrid.services.directives.ticking import tick_directives
from civicgrid.services.feed import FeedPublisher
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.reports.reminding import tick_reports

log = logging.getLogger(__name__)

MIN_LEASE_SECONDS = 60.0


def process_name() -> str:
    """Names this process among the servers of a deployment: the lease holder."""
    return f"{socket.gethostname()}-{os.getpid()}"


class CaseScheduler:
    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        rules: Callable[[], CaseRules],
        clock: Callable[[], datetime],
        feed: FeedPublisher | None,
        *,
        every: float,
        holder: str | None = None,
        zone: str = "Asia/Shanghai",  # where report due times are read
    ) -> None:
        self._uow = uow
        self._rules = rules  # a getter: the rules load on first use, in the worker thread
        self._clock = clock
        self._feed = feed
        self._zone = zone
        self.every = every
        self.holder = holder or process_name()
        # The holder renews its lease every tick; it lapses only after three missed
        # ticks (or a minute), when another process takes over.
        self.lease_seconds = max(MIN_LEASE_SECONDS, 3 * every)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def tick(self) -> TickReport:
        """One tick, blocking: run it in a worker thread."""
        report = tick_cases(
            self._uow(),
            self._rules(),
            now=self._clock(),
            holder=self.holder,
            lease_seconds=self.lease_seconds,
            feed=self._feed,
        )
        if report.ran:  # directive reminders/escalations: each step is claimed once
            tick_directives(self._uow(), now=self._clock())
            tick_reports(self._uow(), now=self._clock(), zone=self._zone)
        return report

    def start(self) -> None:
        """On the running event loop; the first tick comes after one period."""
        self._stop.clear()
        self._task = asyncio.create_task(self._run(), name=f"case-scheduler-{self.holder}")

    async def stop(self) -> None:
        """Let a running tick finish (its thread cannot be cancelled), then end."""
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def _run(self) -> None:
        while not await self._stopped_within(self.every):
            try:
                report = await asyncio.to_thread(self.tick)
            except Exception:  # a failed tick must not end the scheduler; the next retries
                log.exception("escalation tick by %s failed", self.holder)
                continue
            if not report.ran:
                log.debug("tick by %s: another process holds the lease", self.holder)
            elif report.escalated:
                log.info("tick by %s: escalated %d case(s)", self.holder, report.escalated)
            else:
                log.debug("tick by %s: nothing to escalate", self.holder)

    async def _stopped_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
        except TimeoutError:
            return False
        return True
