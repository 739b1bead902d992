"""The background checkpoint copies committed pages into the database file by itself."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import Engine, event, text

from civicgrid.adapters.db.engine import make_engine
from civicgrid.adapters.db.sqlite_checkpoints import checkpoint_in_background, stop_checkpoints


def _engine_without_auto_checkpoints(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _no_auto(dbapi_connection: object, _record: object) -> None:
        # Only the background thread may copy the log back in this test.
        dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")  # type: ignore[attr-defined]

    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)"))
    return engine


def _write_pages(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO t (body) VALUES (:body)"), [{"body": "x" * 2000}] * 500
        )


def _checkpointers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "sqlite-checkpoints"]


def _grows_within(path: Path, size: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.stat().st_size > size:
            return True
        time.sleep(0.05)
    return False


def test_committed_pages_reach_the_database_file_without_a_commit_copying_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db.sqlite3"
    engine = _engine_without_auto_checkpoints(path)
    before = path.stat().st_size
    _write_pages(engine)
    assert not _grows_within(path, before, 0.5)  # the pages wait in the log

    checkpoint_in_background(engine, interval_s=0.05)
    try:
        assert _grows_within(path, before + 500 * 2000, 5.0)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 500
    finally:
        stop_checkpoints(engine)
        engine.dispose()
    assert not any(t.is_alive() for t in _checkpointers())


def test_starting_twice_keeps_one_thread(tmp_path: Path) -> None:
    engine = _engine_without_auto_checkpoints(tmp_path / "db.sqlite3")
    try:
        checkpoint_in_background(engine, interval_s=0.05)
        checkpoint_in_background(engine, interval_s=0.05)
        assert len([t for t in _checkpointers() if t.is_alive()]) == 1
    finally:
        stop_checkpoints(engine)
        engine.dispose()
