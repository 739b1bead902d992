"""Subtree queries on the full Zhengzhou demo, against an adjacency-list baseline.

Run: .venv/bin/python bench/area_queries.py [--engine sqlite|postgresql] [--repeat 21]

Loads the demo into a fresh database (a temporary SQLite file, or a throwaway
PostgreSQL database on 127.0.0.1), then times each query as the API runs it
(access check, count and first page of 100) and the same answer found by walking
parent_id level by level, the usual alternative to a materialized path.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, select, text

from civicgrid.adapters.db import migrate
from civicgrid.adapters.db.tables import AreaRow
from civicgrid.adapters.demo_zhengzhou import build_demo_areas
from civicgrid.bootstrap import Container, bootstrap
from civicgrid.config import Settings
from civicgrid.domain.access import local_operator
from civicgrid.domain.areas import Level
from civicgrid.services.area_import import import_areas
from civicgrid.services.areas import list_subtree

TEST_SECRET = secrets.token_hex(32)
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TARGET_MS = 50.0


@contextmanager
def database(engine: str) -> Iterator[str]:
    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            migrate.upgrade(url)
            yield url
        return
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"civicgrid_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm caches, as a running server would be
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def walk_down(container: Container, code: str, level: Level | None) -> tuple[int, list[str]]:
    """Baseline: follow parent_id one level at a time, then count and take a page."""
    with container.session_factory() as session:
        frontier = list(session.execute(select(AreaRow.id).where(AreaRow.code == code)).scalars())
        found: list[tuple[int, str, int]] = []
        while frontier:
            rows = []
            for start in range(0, len(frontier), 500):
                chunk = frontier[start : start + 500]
                stmt = select(AreaRow.id, AreaRow.code, AreaRow.level).where(
                    AreaRow.parent_id.in_(chunk)
                )
                rows.extend(session.execute(stmt).all())
            found.extend((r[0], r[1], r[2]) for r in rows)
            frontier = [r[0] for r in rows]
        wanted = sorted(c for _, c, lv in found if level is None or lv == int(level))
        return len(wanted), wanted[:100]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--check", action="store_true", help="fail when a query misses 50 ms")
    args = parser.parse_args()

    with database(args.engine) as url, tempfile.TemporaryDirectory() as tmp:
        container = bootstrap(
            Settings(env="test", secret_key=TEST_SECRET, database_url=url, data_dir=Path(tmp))
        )
        start = time.perf_counter()
        areas = build_demo_areas(seed=2023)
        built = time.perf_counter() - start
        import_areas(container.uow(), areas, english_name=container.english_name)
        loaded = time.perf_counter() - start
        print(
            f"engine {args.engine}: demo of {len(areas)} areas built in {built:.1f} s, "
            f"stored in {loaded - built:.1f} s"
        )
        operator = local_operator()
        cases = [
            ("金水区 410105, every descendant", "410105", None),
            ("金水区 410105, its micro-grids", "410105", Level.MICRO_GRID),
            ("a street 410105001, its grids", "410105001", Level.GRID),
            ("the city, every micro-grid", "410100", Level.MICRO_GRID),
        ]
        print(
            f"{'query (count + first page of 100)':<40} {'path ms':>9} {'walk ms':>9} {'ratio':>7}"
        )
        slow = []
        for label, code, level in cases:
            ours = median_ms(
                lambda code=code, level=level: list_subtree(
                    container.uow(), operator, code, level=level, page_size=100
                ),
                args.repeat,
            )
            base = median_ms(
                lambda code=code, level=level: walk_down(container, code, level),
                max(3, args.repeat // 4),
            )
            found = list_subtree(container.uow(), operator, code, level=level, page_size=100)
            expected_count, _ = walk_down(container, code, level)
            assert found.count == expected_count + (1 if level is None else 0)
            print(f"{label:<40} {ours:>9.2f} {base:>9.2f} {base / ours:>6.1f}x")
            if ours >= TARGET_MS:
                slow.append(label)
        container.dispose()
    if args.check and slow:
        raise SystemExit(f"over {TARGET_MS} ms: {', '.join(slow)}")


if __name__ == "__main__":
    main()
