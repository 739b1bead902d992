"""One thread per process that takes whatever waits and hands it on as one batch.

Requests put their item in the queue and wait on a future. The thread takes all that
is waiting (up to a limit) and runs it together, so a burst of creates shares one
transaction while a lone create goes through at once: nothing waits for a timer. The
thread ends after a while without work and starts again on the next item, so an idle
process (or a test's application) keeps no thread for it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class GroupRunner(Generic[T, R]):
    """`run(items)` returns one result per item, in order; each submitter gets its own."""

    def __init__(
        self,
        run: Callable[[Sequence[T]], Sequence[R]],
        *,
        max_batch: int = 64,
        idle_s: float = 5.0,
        name: str = "group-commit",
    ) -> None:
        self._run = run
        self._max_batch = max_batch
        self._idle_s = idle_s
        self._name = name
        self._queue: queue.SimpleQueue[tuple[T, Future[R]]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, item: T) -> Future[R]:
        future: Future[R] = Future()
        with self._lock:  # against the thread ending between the put and the check
            self._queue.put((item, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name=self._name, daemon=True)
                self._thread.start()
        return future

    def _serve(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=self._idle_s)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._answer(batch)

    def _answer(self, batch: list[tuple[T, Future[R]]]) -> None:
        try:
            results = self._run([item for item, _ in batch])
        except BaseException as error:  # every waiter learns of it
            for _, future in batch:
                future.set_exception(error)
            return
        for (_, future), result in zip(batch, results, strict=True):
            future.set_result(result)
