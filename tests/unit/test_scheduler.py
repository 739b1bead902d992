"""The scheduler's loop: a tick every period, a failed tick is not the last, stop is prompt."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime

import pytest

from civicgrid.services.cases.ticking import TickReport
from civicgrid.services.scheduler import CaseScheduler, process_name


def _scheduler(every: float) -> CaseScheduler:
    def no_uow() -> object:
        raise AssertionError("the tick is replaced in these tests")

    return CaseScheduler(
        no_uow,  # type: ignore[arg-type]
        no_uow,  # type: ignore[arg-type]
        lambda: datetime(2026, 11, 23, tzinfo=UTC),
        None,
        every=every,
        holder="test-1",
    )


def test_it_ticks_every_period_and_survives_a_failing_tick(
    caplog: pytest.LogCaptureFixture,
) -> None:
    scheduler = _scheduler(every=0.02)
    ticks: list[int] = []

    def tick() -> TickReport:
        ticks.append(1)
        if len(ticks) == 1:
            raise RuntimeError("database away")
        return TickReport(ran=True, escalated=0)

    scheduler.tick = tick  # type: ignore[method-assign]

    async def run() -> None:
        scheduler.start()
        await asyncio.sleep(0.3)
        await scheduler.stop()

    asyncio.run(run())
    assert len(ticks) >= 3
    assert "escalation tick by test-1 failed" in caplog.text


def test_stopping_before_the_first_period_runs_no_tick() -> None:
    scheduler = _scheduler(every=60)
    scheduler.tick = lambda: pytest.fail("no tick expected")  # type: ignore[method-assign]

    async def run() -> None:
        scheduler.start()
        await asyncio.sleep(0.05)
        await asyncio.wait_for(scheduler.stop(), 1)

    asyncio.run(run())


def test_the_lease_outlives_several_periods() -> None:
    assert _scheduler(every=30).lease_seconds == 90
    assert _scheduler(every=1).lease_seconds == 60


def test_the_holder_names_host_and_process() -> None:
    assert process_name().endswith(f"-{os.getpid()}")
