"""SQLite writers wait their turn in a queue instead of polling for the lock.

SQLite lets one connection write at a time. A writer that finds the lock taken gets
SQLITE_BUSY, and the busy handler retries after sleeps that grow to 100 ms, whether
the lock came free after 0.3 ms or not: under a stream of short intake transactions a
few unlucky writers sleep again and again, and the p99 grows to seconds.

Here each connection takes an exclusive `flock` on a file beside the database before
its first write statement and lets go when its transaction ends. The kernel wakes the
next waiter the moment the lock is free, across threads and processes (each
connection has its own open file, so threads of one process queue too), and drops the
lock of a process that dies. SQLite's own locking is untouched: this only orders who
asks for it.
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from sqlalchemy import Connection, Engine, event

_FD = "civicgrid.writer_fd"
_HELD = "civicgrid.writer_holds"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")


def queue_writers(engine: Engine, database_file: str) -> None:
    """Install the queue on `engine`, whose database is `database_file`."""
    lock_path = f"{database_file}-writers"

    def on_connect(_dbapi_connection: Any, record: Any) -> None:
        record.info[_FD] = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)

    def before_execute(
        connection: Connection,
        _cursor: Any,
        statement: str,
        _parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        info = connection.info
        if _FD in info and not info.get(_HELD) and statement.lstrip()[:6].upper() in _WRITES:
            fcntl.flock(info[_FD], fcntl.LOCK_EX)  # releases the GIL while it waits
            info[_HELD] = True

    def on_commit(connection: Connection) -> None:
        # The event comes before SQLAlchemy commits; commit here, so that the next
        # writer is let in only once this one's transaction has ended. SQLAlchemy's
        # own commit then finds no transaction open and does nothing.
        if connection.info.get(_HELD):
            try:
                connection.connection.dbapi_connection.commit()  # type: ignore[union-attr]
            finally:
                _release(connection.info)

    def on_rollback(connection: Connection) -> None:
        if connection.info.get(_HELD):
            try:
                connection.connection.dbapi_connection.rollback()  # type: ignore[union-attr]
            finally:
                _release(connection.info)

    def on_reset(_dbapi_connection: Any, record: Any, _reset_state: Any) -> None:
        _release(record.info)

    def on_close(_dbapi_connection: Any, record: Any) -> None:
        _release(record.info)
        fd = record.info.pop(_FD, None)
        if fd is not None:
            os.close(fd)

    def on_invalidate(dbapi_connection: Any, record: Any, _exception: Any) -> None:
        on_close(dbapi_connection, record)

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "before_cursor_execute", before_execute)
    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)
    event.listen(engine, "reset", on_reset)
    event.listen(engine, "close", on_close)
    event.listen(engine, "invalidate", on_invalidate)


def _release(info: dict[Any, Any]) -> None:
    if info.pop(_HELD, False):
        fcntl.flock(info[_FD], fcntl.LOCK_UN)
