"""SQLite writers queue on a lock file beside the database, held from the first write
statement to the end of the transaction."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from civicgrid.adapters.db.engine import make_engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    made = make_engine(f"sqlite:///{tmp_path / 'queue.sqlite3'}")
    with made.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    yield made
    made.dispose()


def _lock_is_free(tmp_path: Path) -> bool:
    fd = os.open(tmp_path / "queue.sqlite3-writers", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_writer_holds_the_queue_until_it_commits(engine: Engine, tmp_path: Path) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM t"))
        assert _lock_is_free(tmp_path)  # reading takes no turn
        connection.execute(text("INSERT INTO t VALUES (1)"))
        assert not _lock_is_free(tmp_path)
        connection.commit()
        assert _lock_is_free(tmp_path)
        connection.execute(text("UPDATE t SET n = 2"))
        assert not _lock_is_free(tmp_path)
        connection.rollback()
        assert _lock_is_free(tmp_path)
        assert connection.execute(text("SELECT n FROM t")).scalar_one() == 1


def test_a_writer_waits_while_another_holds_the_queue(engine: Engine, tmp_path: Path) -> None:
    done: list[str] = []

    def write() -> None:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO t VALUES (3)"))
            done.append("wrote")

    holder = os.open(tmp_path / "queue.sqlite3-writers", os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)  # as another process in its transaction would
    try:
        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(0.3)
        assert done == []
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    writer.join(timeout=10)
    assert done == ["wrote"]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM t")).scalars().all() == [3]


def test_threads_writing_at_once_all_commit(engine: Engine) -> None:
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(20):
                with engine.begin() as connection:
                    connection.execute(text("INSERT INTO t VALUES (:n)"), {"n": n * 100 + i})
        except BaseException as error:  # reported below, with the thread's others
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 160
