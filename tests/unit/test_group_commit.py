"""The group-commit runner: items waiting together run as one batch, each gets its own
result or the batch's error, and the thread ends when idle and comes back."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from civicgrid.services.cases.group_commit import GroupRunner


def test_items_that_wait_together_run_as_one_batch() -> None:
    batches: list[list[int]] = []
    gate = threading.Event()

    def run(items: Sequence[int]) -> list[int]:
        gate.wait(5)  # the first batch holds the thread while the others queue
        batches.append(list(items))
        return [item * 10 for item in items]

    runner: GroupRunner[int, int] = GroupRunner(run, max_batch=3)
    futures = [runner.submit(n) for n in range(5)]
    gate.set()
    assert [future.result(5) for future in futures] == [0, 10, 20, 30, 40]
    assert [item for batch in batches for item in batch] == [0, 1, 2, 3, 4]
    assert max(len(batch) for batch in batches) == 3
    assert len(batches) < 5


def test_an_error_of_the_batch_reaches_every_waiter() -> None:
    def run(items: Sequence[int]) -> list[int]:
        raise RuntimeError("no database")

    runner: GroupRunner[int, int] = GroupRunner(run)
    futures = [runner.submit(n) for n in range(3)]
    for future in futures:
        with pytest.raises(RuntimeError, match="no database"):
            future.result(5)


def test_the_thread_ends_when_idle_and_starts_again() -> None:
    runner: GroupRunner[int, int] = GroupRunner(lambda items: list(items), idle_s=0.05)
    assert runner.submit(1).result(5) == 1
    first = runner._thread
    assert first is not None
    first.join(5)
    assert not first.is_alive()
    assert runner._thread is None
    assert runner.submit(2).result(5) == 2
