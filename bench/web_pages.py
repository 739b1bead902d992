"""Server-rendered staff pages for a district officer with 10,000 open cases below them.

Run: .venv/bin/python bench/web_pages.py [--engine sqlite|postgresql] [--open 10000]
     [--others 90000] [--seconds 8] [--logs DIR] [--check]

Loads the full Zhengzhou demo into a fresh database (as area_queries.py does), then
writes OPEN open cases in 金水区 (410105) and OTHERS more in the other districts (9 in
10 closed), reported over the last days (exponentially, mean 2.5 days), with Core
inserts through cases_listing.py's row builders: each has its sealed REPORTED event, and
stages, departments and deadlines vary, so that about a third are overdue. A district
officer of 410105 signs in (a real session), then
`civicgrid serve` answers on loopback in its own process, and one keep-alive connection
asks for each page in turn for SECONDS seconds (a person at a desk: one request at a
time). Baselines in the same run, same server: GET /healthz, and the same listing as
JSON from /api/v1/cases with a bearer token.

Target (issue 8): p95 under 100 ms for the workbench pages, /staff/ and /staff/cases.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, insert

from area_queries import TEST_SECRET, database
from cases_listing import CATEGORIES, MicroGrids, _case_row, _event_row, micro_grids
from cases_listing import refresh_statistics as refresh
from civicgrid.adapters.db.tables import CaseEventRow, CaseRow
from civicgrid.bootstrap import bootstrap
from civicgrid.config import Settings
from civicgrid.domain.access import Role
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Source, Stage
from civicgrid.services import users
from civicgrid.services.web_sessions import sign_in
from http_load import Phase, closed_loop, server

TARGET_MS = 100.0
DISTRICT = "410105"
OFFICER = "bench_officer"
PASSWORD = "a bench password long enough"  # noqa: S105 - a throwaway database's user
CHUNK = 20_000
WORKBENCH = ("/staff/", "/staff/cases")


def reported(n: int, code: str, path: str, point: tuple[float, float], at: datetime) -> CaseEvent:
    return CaseEvent(
        case_id=n + 1,
        seq=1,
        type=EventType.REPORTED,
        at=at,
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
            "location": list(point),
        },
    ).sealed()


def seed(
    engine: Engine, grids: MicroGrids, open_here: int, others: int, now: datetime
) -> tuple[int, int]:
    """OPEN open cases in the district, OTHERS elsewhere (ids in reporting order);
    (OPEN, the id of the newest case in the district)."""
    rng = np.random.default_rng(8)
    mask = np.array([f"/{DISTRICT}/" in p for p in grids.paths])
    inside, outside = np.flatnonzero(mask), np.flatnonzero(~mask)
    total = open_here + others
    here = np.zeros(total, dtype=bool)
    here[rng.choice(total, size=open_here, replace=False)] = True
    weights = grids.weights[outside] / grids.weights[outside].sum()
    grid = np.where(
        here, rng.choice(inside, size=total), rng.choice(outside, size=total, p=weights)
    )
    is_open = here | (rng.random(total) < 0.1)
    # Most open cases are days old, a few weeks: about a third end up past their limit.
    ages = np.sort(np.minimum(rng.exponential(2.5 * 86_400, total), 30 * 86_400))[::-1]
    for first in range(0, total, CHUNK):
        cases, events = [], []
        for n in range(first, min(first + CHUNK, total)):
            code, path = grids.codes[grid[n]], grids.paths[grid[n]]
            event = reported(n, code, path, grids.points[code], now - timedelta(seconds=ages[n]))
            events.append(_event_row(event))
            cases.append(_case_row(event, bool(is_open[n]), n))
        with engine.begin() as conn:
            conn.execute(insert(CaseRow), cases)
            conn.execute(insert(CaseEventRow), events)
    refresh(engine)
    return open_here, int(np.flatnonzero(here)[-1]) + 1


def request(path: str, header: str) -> Callable[[], bytes]:
    lines = ["GET " + path + " HTTP/1.1", "Host: bench", *([header] if header else [])]
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode()
    return lambda: raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--open", type=int, default=10_000, help="open cases in the district")
    parser.add_argument("--others", type=int, default=90_000, help="cases elsewhere")
    parser.add_argument("--seconds", type=float, default=8.0, help="per page")
    parser.add_argument("--logs", help="keep the server's log in this folder")
    parser.add_argument("--check", action="store_true", help=f"fail when a p95 ≥ {TARGET_MS} ms")
    args = parser.parse_args()

    now = datetime.now(UTC)
    with database(args.engine) as url, tempfile.TemporaryDirectory() as tmp:
        container = bootstrap(
            Settings(env="test", secret_key=TEST_SECRET, database_url=url, data_dir=Path(tmp))
        )
        grids = micro_grids(container)
        open_here, newest = seed(container.engine, grids, args.open, args.others, now)
        uow = container.uow
        users.add_user(uow(), container.hasher, OFFICER, PASSWORD, now=now)
        users.grant_role(uow(), OFFICER, Role.DISTRICT_OFFICER, DISTRICT, now=now)
        session = sign_in(uow(), container.hasher, OFFICER, PASSWORD, now=now).secret
        token = users.create_token(uow(), OFFICER, "bench", now=now).token
        container.dispose()
        print(f"{open_here:,} open cases in {DISTRICT} among {args.open + args.others:,}")

        cookie = f"Cookie: cg_session={session}"
        bearer = f"Authorization: Bearer {token}"
        pages: list[tuple[str, Callable[[], bytes]]] = [
            ("GET /healthz (baseline)", request("/healthz", "")),
            (
                "GET /api/v1/cases?status=open (JSON baseline)",
                request("/api/v1/cases?status=open", bearer),
            ),
            *((f"GET {p}", request(p, cookie)) for p in WORKBENCH),
            ("GET /staff/cases?overdue=true", request("/staff/cases?overdue=true", cookie)),
            ("GET /staff/cases/{id} (a case page)", request(f"/staff/cases/{newest}", cookie)),
        ]
        settings = {
            "CIVICGRID_ENV": "test",
            "CIVICGRID_SECRET_KEY": TEST_SECRET,
            "CIVICGRID_DATABASE_URL": url,
            "CIVICGRID_DATA_DIR": tmp,
            "CIVICGRID_TICK_SECONDS": "0",  # no escalation tick competing with the pages
        }
        found: dict[str, Phase] = {}
        logs = Path(args.logs or tmp)
        with server(settings, 1, logs) as (port, pid):
            for label, make in pages:
                asyncio.run(closed_loop(port, pid, make, 1, 1.0))  # warm: templates, caches
                phase = asyncio.run(closed_loop(port, pid, make, 1, args.seconds))
                statuses = set(phase.statuses)
                if statuses != {200}:
                    raise SystemExit(f"{label}: answered {sorted(statuses)}, not 200")
                found[label] = phase
    print(f"\n{'page (one connection, ' + args.engine + ')':<48}{'n':>6}{'p50':>9}{'p95':>9}")
    for label, phase in found.items():
        p50, p95 = phase.percentile(0.5), phase.percentile(0.95)
        print(f"{label:<48}{len(phase.latencies_ms):>6}{p50:>8.1f}ms{p95:>7.1f}ms")
    slow = [p for p in WORKBENCH if found[f"GET {p}"].percentile(0.95) >= TARGET_MS]
    if args.check and slow:
        raise SystemExit(f"p95 over {TARGET_MS} ms: {', '.join(slow)}")


if __name__ == "__main__":
    main()
