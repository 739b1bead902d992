"""SQLite's write-ahead log copied back by a thread of its own, not by a committer.

Left to itself, SQLite checkpoints in the commit that takes the log past 1,000 pages:
that commit copies the log into the database and syncs the file before it returns, and
every create waiting on it (a group commit holds many) waits tens of milliseconds.
Here a background thread runs a PASSIVE checkpoint (it never blocks a reader or a
writer) a few times a second, so the log rarely grows that far and commits rarely pay
for it. SQLite's own automatic checkpoint stays on as the fallback.
"""

from __future__ import annotations

import logging
import threading
import weakref

from sqlalchemy import Engine

_LOG = logging.getLogger(__name__)
_RUNNING: weakref.WeakKeyDictionary[Engine, _Checkpointer] = weakref.WeakKeyDictionary()


class _Checkpointer:
    def __init__(self, engine: Engine, interval_s: float) -> None:
        self._engine = weakref.ref(engine)
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoints", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            engine = self._engine()
            if engine is None:
                return
            try:
                with engine.connect() as connection:
                    connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
            except Exception:  # a busy or closing database: the commit's own fallback stays
                _LOG.debug("background checkpoint skipped", exc_info=True)
            del engine


def checkpoint_in_background(engine: Engine, interval_s: float = 0.25) -> None:
    """Start the engine's checkpoint thread (once); `stop_checkpoints` ends it."""
    if engine not in _RUNNING:
        checkpointer = _RUNNING[engine] = _Checkpointer(engine, interval_s)
        checkpointer.start()


def stop_checkpoints(engine: Engine) -> None:
    checkpointer = _RUNNING.pop(engine, None)
    if checkpointer is not None:
        checkpointer.stop()
