"""Listing a subtree's open cases, page 1 of 50, among a million cases.

Run: .venv/bin/python bench/cases_listing.py [--engine sqlite|postgresql]
     [--cases 1000000] [--repeat 21] [--check]

Loads the full Zhengzhou demo into a fresh database (as area_queries.py does), then
writes CASES cases with Core inserts, not through the use cases: two years of reports
spread over the micro-grids by household count, each with its sealed REPORTED event.
Reports of the last 30 days are mostly open, older ones mostly closed, about 9 % open
in all. Closed rows stand for finished cases whose later events are not written: the
listing reads only the projection. Statistics are refreshed after the load, as
autovacuum or a nightly ANALYZE would.

Each query runs as the API runs it, by an officer of the subtree: the access check on
the area, then the count and the first page of 50, newest first. Baselines in the same
run: the same queries on the indexes before migration 0005, (status, area_path) and
(area_path) without the sort key; without the status index at all; and a naive filter
in Python over the open cases.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, event, insert, select, text

from area_queries import TEST_SECRET, database
from civicgrid.adapters.db.tables import AreaRow, CaseEventRow, CaseRow
from civicgrid.adapters.demo_zhengzhou import build_demo_areas
from civicgrid.bootstrap import Container, bootstrap
from civicgrid.config import Settings
from civicgrid.domain.access import Principal, Role
from civicgrid.domain.access.principal import Grant
from civicgrid.domain.areas import Level
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Source, Stage
from civicgrid.services.area_import import import_areas
from civicgrid.services.areas import get_area
from civicgrid.services.case_ports import CaseFilter
from civicgrid.services.cases.queries import list_cases

TARGET_MS = 50.0
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
DAYS = 730
CATEGORIES = ["event:0101", "event:0102", "event:0201", "event:0301", "component:0101"]
OPEN_STAGES = [Stage.COLLECT, Stage.FILE, Stage.DISPATCH, Stage.HANDLE, Stage.FEEDBACK]
CHUNK = 20_000
VARIANTS = ["shipped", "0004 indexes", "no index", "naive"]
# Migration 0005 put the sort key into the subtree indexes; before it they were these.
BEFORE_0005 = [
    "DROP INDEX ix_cases_status_path",
    "DROP INDEX ix_cases_area_path",
    "CREATE INDEX ix_cases_status_path ON cases (status, area_path)",
    "CREATE INDEX ix_cases_area_path ON cases (area_path)",
]


@dataclass(frozen=True, slots=True)
class MicroGrids:
    codes: list[str]
    paths: list[str]
    weights: np.ndarray  # households, as a share of all
    points: dict[str, tuple[float, float]]


def micro_grids(container: Container) -> MicroGrids:
    areas = build_demo_areas(seed=2023)
    import_areas(container.uow(), areas, english_name=container.english_name)
    points = {}
    for area in areas:
        if area.level is Level.MICRO_GRID and area.geometry is not None:
            inside = area.geometry.representative_point()
            points[area.code] = (inside.x, inside.y)
    stmt = select(AreaRow.code, AreaRow.path, AreaRow.households).where(
        AreaRow.level == int(Level.MICRO_GRID)
    )
    with container.engine.connect() as conn:
        rows = conn.execute(stmt.order_by(AreaRow.path)).all()
    households = np.array([max(r.households or 1, 1) for r in rows], dtype=np.float64)
    return MicroGrids(
        [r.code for r in rows], [r.path for r in rows], households / households.sum(), points
    )


@dataclass(frozen=True, slots=True)
class Draws:
    """Each case drawn at once: its age, micro-grid and whether it is still open."""

    ages_s: np.ndarray  # oldest first, so ids follow the order of reporting
    grid: np.ndarray
    is_open: np.ndarray


def draw(grids: MicroGrids, count: int, seed: int = 11) -> Draws:
    rng = np.random.default_rng(seed)
    ages = np.sort(rng.uniform(0, DAYS * 86_400, count))[::-1]
    recent = ages < 30 * 86_400
    return Draws(
        ages_s=ages,
        grid=rng.choice(len(grids.codes), size=count, p=grids.weights),
        is_open=np.where(recent, rng.random(count) < 0.85, rng.random(count) < 0.03),
    )


_DRAWN: tuple[MicroGrids, Draws] | None = None  # in each generating process


def _keep(grids: MicroGrids, draws: Draws) -> None:
    global _DRAWN
    _DRAWN = (grids, draws)


def rows(start: int, stop: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Case rows and their sealed REPORTED events for cases start+1 … stop."""
    assert _DRAWN is not None
    grids, draws = _DRAWN
    cases, events = [], []
    for n in range(start, stop):
        code, path = grids.codes[draws.grid[n]], grids.paths[draws.grid[n]]
        reported = CaseEvent(
            case_id=n + 1,
            seq=1,
            type=EventType.REPORTED,
            at=NOW - timedelta(seconds=float(draws.ages_s[n])),
            actor="hotline",
            position=Position.ACCEPTOR,
            from_stage=None,
            to_stage=Stage.COLLECT,
            data={
                "category": CATEGORIES[n % len(CATEGORIES)],
                "source": Source.HOTLINE.value,
                "urgency": "normal",
                "area_code": code,
                "area_path": path,
                "description": f"bench case {n + 1}",
                "reporter_ref": "",
                "location": list(grids.points[code]),
            },
        ).sealed()
        events.append(_event_row(reported))
        cases.append(_case_row(reported, bool(draws.is_open[n]), n))
    return cases, events


def _case_row(reported: CaseEvent, is_open: bool, n: int) -> dict[str, Any]:
    data = reported.data
    stage = OPEN_STAGES[n % len(OPEN_STAGES)] if is_open else Stage.EVALUATE
    entered = reported.at + timedelta(hours=n % 48 if stage is not Stage.COLLECT else 0)
    deadline = entered + timedelta(days=2) if is_open else None
    return {
        "id": reported.case_id,
        "category": data["category"],
        "source": data["source"],
        "urgency": data["urgency"],
        "stage": stage.value,
        "status": "open" if is_open else ("void" if n % 20 == 0 else "closed"),
        "outcome": None if is_open else ("void" if n % 20 == 0 else "fixed"),
        "area_code": data["area_code"],
        "area_path": data["area_path"],
        "department": None if stage in (Stage.COLLECT, Stage.FILE) else "city_management",
        "lon": data["location"][0],
        "lat": data["location"][1],
        "description": data["description"],
        "reported_at": reported.at,
        "stage_entered_at": entered,
        "deadline_at": deadline,
        "warning_at": deadline - timedelta(hours=9) if deadline else None,
        "next_check_at": deadline,
        "escalation_level": 0,
        "closed_at": None if is_open else entered,
        "last_seq": 1,
        "last_hash": reported.hash,
        "idempotency_key": None,
    }


def _event_row(event: CaseEvent) -> dict[str, Any]:
    return {
        "case_id": event.case_id,
        "seq": event.seq,
        "type": event.type.value,
        "at": event.at,
        "actor": event.actor,
        "position": event.position.value,
        "from_stage": None,
        "to_stage": event.to_stage.value if event.to_stage else None,
        "reason": "",
        "data": event.data,
        "attachments": [],
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def load(engine: Engine, grids: MicroGrids, count: int) -> None:
    """Rows made in other processes while this one inserts them, a few chunks ahead."""
    start = time.perf_counter()
    with ProcessPoolExecutor(2, initializer=_keep, initargs=(grids, draw(grids, count))) as pool:
        ahead: deque[Future[tuple[list[dict[str, Any]], list[dict[str, Any]]]]] = deque()
        for first in range(0, count, CHUNK):
            ahead.append(pool.submit(rows, first, min(first + CHUNK, count)))
            while ahead and (len(ahead) > 3 or first + CHUNK >= count):
                cases, events = ahead.popleft().result()
                with engine.begin() as conn:
                    conn.execute(insert(CaseRow), cases)
                    conn.execute(insert(CaseEventRow), events)
    stored = time.perf_counter()
    refresh_statistics(engine)
    print(
        f"{count:,} cases with their events made and stored in {stored - start:.1f} s, "
        f"statistics refreshed in {time.perf_counter() - stored:.1f} s"
    )


def refresh_statistics(engine: Engine) -> None:
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            auto = conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in ("cases", "case_events"):  # the ids were given, not drawn
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                auto.execute(text(f"SELECT setval({sequence}, max(id)) FROM {table}"))  # noqa: S608
            auto.execute(text("VACUUM (ANALYZE) cases, case_events"))
        else:
            conn.execute(text("ANALYZE"))
            conn.commit()


def ddl(engine: Engine, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    refresh_statistics(engine)


def median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm caches, as a running server would be
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


@dataclass(frozen=True, slots=True)
class Query:
    label: str
    code: str
    role: Role
    status: str | None

    def officer(self, container: Container) -> Principal:
        """Someone granted `role` at the area, as the API would authenticate them."""
        with container.engine.connect() as conn:
            path = conn.execute(select(AreaRow.path).where(AreaRow.code == self.code)).scalar_one()
        return Principal(0, "bench", (Grant(self.role, self.code, path),))

    def run(self, container: Container, officer: Principal) -> tuple[int, list[int]]:
        """As the route runs it: the area by code with the access check, then the page."""
        root = get_area(container.uow(), officer, self.code, with_geometry=False)
        where = CaseFilter(within=root.path, status=self.status)
        page = list_cases(container.uow(), officer, where, page=1, page_size=50)
        return page.count, [item.id for item in page.items]

    def naive(self, container: Container, officer: Principal) -> tuple[int, list[int]]:
        """Baseline: every case of the status read, filtered and sorted in Python."""
        path = officer.grants[0].area_path
        stmt = select(CaseRow).where(CaseRow.status == self.status)
        with container.session_factory() as session:
            found = [r for r in session.execute(stmt).scalars() if r.area_path.startswith(path)]
        found.sort(key=lambda r: (r.reported_at, r.id), reverse=True)
        return len(found), [r.id for r in found[:50]]


QUERIES = [
    Query("金水区 410105, open", "410105", Role.DISTRICT_OFFICER, "open"),
    Query("a street 410105001, open", "410105001", Role.STREET_OFFICER, "open"),
    Query("the city, open", "410100", Role.CITY_ADMIN, "open"),
    Query("金水区 410105, any status", "410105", Role.DISTRICT_OFFICER, None),
]


def plan(container: Container, query: Query, officer: Principal) -> str:
    """How the engine runs the page query: its plan, on one line."""
    seen: list[tuple[str, Any]] = []

    def keep(_c: Connection, _cur: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        if "ORDER BY" in sql and "FROM cases" in sql:
            seen.append((sql, params))

    event.listen(container.engine, "before_cursor_execute", keep)
    try:
        query.run(container, officer)
    finally:
        event.remove(container.engine, "before_cursor_execute", keep)
    sql, params = seen[-1]
    with container.engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        if conn.dialect.name == "sqlite":
            rows = driver.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
            return "; ".join(row[-1] for row in rows)
        with driver.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            lines = [row[0].strip() for row in cursor.fetchall()]
    return "; ".join(line for line in lines if "Scan" in line or "Sort" in line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--check", action="store_true", help="fail when a query misses 50 ms")
    args = parser.parse_args()

    with database(args.engine) as url, tempfile.TemporaryDirectory() as tmp:
        container = bootstrap(
            Settings(env="test", secret_key=TEST_SECRET, database_url=url, data_dir=Path(tmp))
        )
        grids = micro_grids(container)
        load(container.engine, grids, args.cases)
        officers = {q.label: q.officer(container) for q in QUERIES}
        answers: dict[str, tuple[int, list[int]]] = {}
        timings: dict[str, dict[str, float]] = {q.label: {} for q in QUERIES}

        def timed(variant: str, repeat: int, naive: bool = False) -> None:
            for query in QUERIES:
                officer = officers[query.label]
                run = query.naive if naive else query.run
                if naive and query.status is None:
                    continue  # reading a million rows into Python proves nothing more
                found = run(container, officer)
                assert answers.setdefault(query.label, found) == found, (variant, query.label)
                timings[query.label][variant] = median_ms(partial(run, container, officer), repeat)
                if variant in ("shipped", "0004 indexes"):
                    how = plan(container, query, officer)
                    print(f"  {variant}, {query.label} ({found[0]:,} found): {how}")

        timed("shipped", args.repeat)
        ddl(container.engine, *BEFORE_0005)
        timed("0004 indexes", args.repeat)
        ddl(container.engine, "DROP INDEX ix_cases_status_path")
        timed("no index", max(3, args.repeat // 4))
        timed("naive", 3, naive=True)
        container.dispose()
    print(f"\n{'query: count + page 1 of 50, ms':<32}" + "".join(f"{v:>13}" for v in VARIANTS))
    for label, ms in timings.items():
        print(
            f"{label:<32}"
            + "".join(f"{ms[v]:13.1f}" if v in ms else f"{'—':>13}" for v in VARIANTS)
        )
    slow = [label for label, ms in timings.items() if ms["shipped"] >= TARGET_MS]
    if args.check and slow:
        raise SystemExit(f"over {TARGET_MS} ms: {', '.join(slow)}")


if __name__ == "__main__":
    main()
