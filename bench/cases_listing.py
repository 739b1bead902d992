"""Listing a subtree's open cases, page 1 of 50, among a million cases.

Run: .venv/bin/python bench/cases_listing.py [--engine sqlite|postgresql]
     [--cases 1000000] [--repeat 21] [--check] [--rebuild] [--build-only] [--naive]

The database is built once and kept: a SQLite file under the temporary directory's
civicgrid-bench/, or the PostgreSQL database civicgrid_bench_cases_listing_<cases>.
Later runs reuse it (migrations added since are applied); --rebuild builds it anew.
Building loads the full Zhengzhou demo, then writes CASES cases with Core inserts, not
through the use cases: two years of reports spread over the micro-grids by household
count, each with its sealed REPORTED event. Reports of the last 30 days are mostly
open, older ones mostly closed, about 6 % open in all. Closed rows stand for finished
cases whose later events are not written: the listing reads only the projection.
Statistics are refreshed after the load, as autovacuum or a nightly ANALYZE would. As
the cases were written around the application, the first run on a database builds the
case counters from them (`civicgrid cases recount`); --recount checks them again.

Each query runs as the API runs it, by an officer of the subtree: the access check on
the area, then the count and the first page of 50, newest first. Baselines in the same
run, alternating with it query by query so both see the same load: the count taken
over the matching index entries, as before the counters (COUNT(*)); with --naive, a
filter in Python over the open cases.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, create_engine, event, func, insert, select, text
from sqlalchemy.orm import Session

from area_queries import PG_ADMIN, TEST_SECRET
from civicgrid.adapters.db import case_listing, migrate
from civicgrid.adapters.db.case_listing import _conditions
from civicgrid.adapters.db.tables import AreaRow, CaseCountRow, CaseEventRow, CaseRow
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
from civicgrid.services.cases.recount import recount_cases

TARGET_MS = 50.0
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
DAYS = 730
CATEGORIES = ["event:0101", "event:0102", "event:0201", "event:0301", "component:0101"]
OPEN_STAGES = [Stage.COLLECT, Stage.FILE, Stage.DISPATCH, Stage.HANDLE, Stage.FEEDBACK]
CHUNK = 20_000
VARIANTS = ["shipped", "COUNT(*)", "naive"]


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


def median_ms(run: Callable[[], object], repeat: int, *, warm: bool = True) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (for SQLite all the work;
    for PostgreSQL the client's share), in ms."""
    if warm:
        run()  # warm caches, as a running server would be
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


@dataclass(frozen=True, slots=True)
class Query:
    label: str
    code: str
    role: Role
    status: str | None
    overdue: bool = False

    def officer(self, container: Container) -> Principal:
        """Someone granted `role` at the area, as the API would authenticate them."""
        with container.engine.connect() as conn:
            path = conn.execute(select(AreaRow.path).where(AreaRow.code == self.code)).scalar_one()
        return Principal(0, "bench", (Grant(self.role, self.code, path),))

    def run(self, container: Container, officer: Principal) -> tuple[int, list[int]]:
        """As the route runs it: the area by code with the access check, then the page."""
        root = get_area(container.uow(), officer, self.code, with_geometry=False)
        where = CaseFilter(
            within=root.path, status=self.status, overdue_at=NOW if self.overdue else None
        )
        page = list_cases(container.uow(), officer, where, page=1, page_size=50)
        return page.count, [item.id for item in page.items]

    def naive(self, container: Container, officer: Principal) -> tuple[int, list[int]]:
        """Baseline: every case of the status read, filtered and sorted in Python."""
        path = officer.grants[0].area_path
        stmt = select(CaseRow).where(CaseRow.status == (self.status or "open"))
        with container.session_factory() as session:
            found = [
                r
                for r in session.execute(stmt).scalars()
                if r.area_path.startswith(path)
                and (not self.overdue or (r.deadline_at is not None and r.deadline_at <= NOW))
            ]
        found.sort(key=lambda r: (r.reported_at, r.id), reverse=True)
        return len(found), [r.id for r in found[:50]]


QUERIES = [
    Query("金水区 410105, open", "410105", Role.DISTRICT_OFFICER, "open"),
    Query("a street 410105001, open", "410105001", Role.STREET_OFFICER, "open"),
    Query("the city, open", "410100", Role.CITY_ADMIN, "open"),
    Query("金水区 410105, any status", "410105", Role.DISTRICT_OFFICER, None),
    Query("金水区 410105, overdue", "410105", Role.DISTRICT_OFFICER, None, overdue=True),
    Query("the city, overdue", "410100", Role.CITY_ADMIN, None, overdue=True),
]


def count_every_match(session: Session, scopes: Sequence[str], where: CaseFilter) -> int:
    """Baseline: the count as it was before the counters, one index entry per case."""
    stmt = select(func.count()).select_from(CaseRow).where(*_conditions(scopes, where))
    return int(session.execute(stmt).scalar_one())


def counters_match(container: Container, *, always: bool) -> None:
    """Counters for the cases: a fresh load writes cases around the application, so a
    database without them has them rebuilt (`civicgrid cases recount`); `always`
    checks a kept one too. Each run compares the counted answers with COUNT(*)'s."""
    with container.engine.connect() as conn:
        root = select(func.count()).select_from(CaseCountRow).where(CaseCountRow.area_path == "/")
        if conn.execute(root).scalar_one() and not always:
            return
    start = time.perf_counter()
    wrong = recount_cases(container.uow())
    took = time.perf_counter() - start
    print(f"counters checked against the cases in {took:.1f} s: {wrong:,} rebuilt")


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


KEPT = Path(tempfile.gettempdir()) / "civicgrid-bench"


@dataclass(frozen=True, slots=True)
class Kept:
    """A bench database kept between runs: a SQLite file, or a PostgreSQL database."""

    engine: str
    name: str

    def url(self, suffix: str = "") -> str:
        if self.engine == "sqlite":
            return f"sqlite:///{KEPT / f'{self.name}{suffix}.sqlite3'}"
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.name}{suffix}"

    def exists(self, suffix: str = "") -> bool:
        if self.engine == "sqlite":
            return (KEPT / f"{self.name}{suffix}.sqlite3").exists()
        with _admin() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": self.name + suffix},
            )
            return found.first() is not None

    def drop(self, suffix: str = "") -> None:
        if self.engine == "sqlite":
            for end in ("", "-wal", "-shm", "-writers"):
                (KEPT / f"{self.name}{suffix}.sqlite3{end}").unlink(missing_ok=True)
            return
        with _admin() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}{suffix}" WITH (FORCE)'))

    def create(self, suffix: str = "") -> None:
        if self.engine == "sqlite":
            KEPT.mkdir(exist_ok=True)
        else:
            with _admin() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.name}{suffix}"'))
        migrate.upgrade(self.url(suffix))

    def finish(self, suffix: str) -> None:
        """The database built under `suffix` becomes the kept one: only a complete
        build is ever reused."""
        self.drop()
        if self.engine == "sqlite":
            (KEPT / f"{self.name}{suffix}.sqlite3").rename(KEPT / f"{self.name}.sqlite3")
            return
        with _admin() as conn:
            conn.execute(text(f'ALTER DATABASE "{self.name}{suffix}" RENAME TO "{self.name}"'))


@contextmanager
def _admin() -> Iterator[Connection]:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            yield conn
    finally:
        admin.dispose()


def prepared(engine: str, cases: int, *, rebuild: bool) -> str:
    """The URL of a database holding the demo and `cases` cases: the one kept from an
    earlier run unless `rebuild`, else built now (minutes) and kept."""
    kept = Kept(engine, f"civicgrid_bench_cases_listing_{cases}")
    if rebuild or not kept.exists():
        kept.drop("_building")
        kept.create("_building")
        with tempfile.TemporaryDirectory() as tmp:
            container = _container(kept.url("_building"), Path(tmp))
            load(container.engine, micro_grids(container), cases)
            container.dispose()
        kept.finish("_building")
        print(f"kept for later runs: {kept.url()} (--rebuild to build it again)")
    else:
        migrate.upgrade(kept.url())  # migrations added since it was built
        print(f"reusing {kept.url()}")
    return kept.url()


def _container(url: str, data_dir: Path) -> Container:
    return bootstrap(
        Settings(env="test", secret_key=TEST_SECRET, database_url=url, data_dir=data_dir)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--check", action="store_true", help="fail when a query misses 50 ms")
    parser.add_argument("--recount", action="store_true", help="check the counters first")
    parser.add_argument("--naive", action="store_true", help="also filter in Python (slow)")
    parser.add_argument("--rebuild", action="store_true", help="build the kept database anew")
    parser.add_argument("--build-only", action="store_true", help="build or reuse, then stop")
    args = parser.parse_args()
    url = prepared(args.engine, args.cases, rebuild=args.rebuild)
    if args.build_only:
        return

    with tempfile.TemporaryDirectory() as tmp:
        container = _container(url, Path(tmp))
        counters_match(container, always=args.recount)
        officers = {q.label: q.officer(container) for q in QUERIES}
        answers: dict[str, tuple[int, list[int]]] = {}
        timings: dict[str, dict[str, float]] = {q.label: {} for q in QUERIES}
        cpu: dict[str, dict[str, float]] = {q.label: {} for q in QUERIES}

        def timed(query: Query, repeat: int) -> None:
            """Shipped and COUNT(*) runs alternate, so both see the same load."""
            officer = officers[query.label]
            run = partial(query.run, container, officer)
            shipped_count = case_listing._count
            variants = {"shipped": shipped_count, "COUNT(*)": count_every_match}
            runs: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
            try:
                for n in range(repeat + 1):
                    for variant, count in variants.items():
                        case_listing._count = count
                        found = run()
                        assert answers.setdefault(query.label, found) == found, variant
                        if n:  # the first round warms the caches
                            runs[variant].append(median_ms(run, 1, warm=False))
            finally:
                case_listing._count = shipped_count
            for variant, took in runs.items():
                timings[query.label][variant] = statistics.median(w for w, _ in took)
                cpu[query.label][variant] = statistics.median(c for _, c in took)
            how = plan(container, query, officer)
            print(f"  {query.label} ({answers[query.label][0]:,} found): {how}")

        for query in QUERIES:
            timed(query, args.repeat)
        for query in QUERIES if args.naive else []:
            if query.status is None and not query.overdue:
                continue  # reading a million rows into Python proves nothing more
            officer = officers[query.label]
            found = query.naive(container, officer)
            assert answers[query.label] == found, query.label
            took = median_ms(partial(query.naive, container, officer), 3)
            timings[query.label]["naive"], cpu[query.label]["naive"] = took
        container.dispose()
    print(f"\n{'count + page 1 of 50: wall (CPU) ms':<36}" + "".join(f"{v:>16}" for v in VARIANTS))
    for label, ms in timings.items():
        print(
            f"{label:<36}"
            + "".join(
                f"{f'{ms[v]:.1f} ({cpu[label][v]:.1f})':>16}" if v in ms else f"{'—':>16}"
                for v in VARIANTS
            )
        )
    slow = [label for label, ms in timings.items() if ms["shipped"] >= TARGET_MS]
    if args.check and slow:
        raise SystemExit(f"over {TARGET_MS} ms: {', '.join(slow)}")


if __name__ == "__main__":
    main()
