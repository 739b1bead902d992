"""Engine creation with the pragmas SQLite needs to behave like a server database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from civicgrid.adapters.db.sqlite_writers import queue_writers

# A server's request threads, its intake thread and its scheduler each hold a connection
# at once; past the pool's size SQLAlchemy opens and closes one per use, which costs a
# connect (and SQLite's pragmas, or a PostgreSQL login) on every request under load.
_POOL = {"sqlite": {"pool_size": 20, "max_overflow": 20}, "postgresql": {"pool_size": 10}}


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    on_file = parsed.database not in (None, "", ":memory:")  # not an in-memory SQLite
    if on_file and "poolclass" not in kwargs:
        kwargs = _POOL.get(backend, {}) | kwargs
    if backend == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        if on_file and parsed.database:
            queue_writers(engine, parsed.database)
        return engine
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside the one writer; NORMAL is durable across process
    # crashes in WAL mode (only an OS crash can lose the last commits).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
