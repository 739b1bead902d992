"""The per-subtree case counters stay equal to counting the cases, whatever writes them:
single creates, batched creates, workflow transitions, rolled-back and conflicting
writes; and `recount` repairs them when cases are written around the application."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select, text, update
from typer.testing import CliRunner

from civicgrid.adapters.db.base import Base
from civicgrid.adapters.db.case_counts import counted_roots, counts_from_cases, subtrees_of
from civicgrid.bootstrap import Container
from civicgrid.cli.main import app
from civicgrid.domain.access import Grant, Principal, Role
from civicgrid.domain.areas import Level
from civicgrid.domain.cases import intake
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.cases.guards import allowed_actions
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Source, Urgency
from civicgrid.domain.errors import Conflict, DomainError
from civicgrid.services.case_ports import CaseDraft, CaseFilter, NewCase, Schedule
from civicgrid.services.cases.queries import list_cases
from civicgrid.services.cases.recount import recount_cases
from civicgrid.services.ports import UnitOfWork
from tests.factories import small_city
from tests.fixtures import MONDAY_9AM as T
from tests.unit.case_workflow_helpers import ACTORS, DEPT, call


def _micro_grid_paths() -> list[str]:
    areas = small_city()
    parents = {a.code: a.parent_code for a in areas}

    def path(code: str | None) -> str:
        return "/" if code is None else f"{path(parents[code])}{code}/"

    return [path(a.code) for a in areas if a.level is Level.MICRO_GRID]


GRIDS = _micro_grid_paths()
NO_SCHEDULE = Schedule(deadline_at=None, warning_at=None, next_check_at=None)
# The actions that move a case between statuses, and those on the way to them.
ACTIONS = [
    CaseAction.ACCEPT,
    CaseAction.CHECK,
    CaseAction.FILE,
    CaseAction.DISPATCH,
    CaseAction.HANDLE,
    CaseAction.FORWARD_FEEDBACK,
    CaseAction.VERIFY,
    CaseAction.CLOSE,
    CaseAction.REOPEN,
    CaseAction.REQUEST_HOLD,
    CaseAction.DECIDE_HOLD,
    CaseAction.RELEASE_HOLD,
    CaseAction.VOID,
]
COUNTS = Base.metadata.tables["case_counts"]


def test_subtrees_are_the_area_and_each_ancestor() -> None:
    assert subtrees_of("/41/4101/410102/") == ["/", "/41/", "/41/4101/", "/41/4101/410102/"]


def test_the_counted_roots_are_the_subtree_inside_the_scopes_and_none_twice() -> None:
    scopes = ["/1/2/", "/1/3/", "/1/3/4/"]
    assert counted_roots(scopes, "/1/3/4/5/") == ["/1/3/4/5/"]
    assert counted_roots(scopes, None) == ["/1/2/", "/1/3/"]
    assert counted_roots(scopes, "/1/") == ["/1/2/", "/1/3/"]
    assert counted_roots(scopes, "/9/") == []
    assert counted_roots([], None) == []


def _create(uow: UnitOfWork, grid: int, n: int) -> None:
    path = GRIDS[grid % len(GRIDS)]
    draft = CaseDraft(
        category="event:0101",
        source=Source.HOTLINE,
        urgency=Urgency.NORMAL,
        area_code=path.rstrip("/").rsplit("/", 1)[-1],
        area_path=path,
        description=f"case {n}",
        reported_at=T,
        location=None,
    )
    case_id = uow.cases.open_case(draft, idempotency_key=None)
    event, case = _opened(case_id, path, n)
    uow.cases.append(case, event, NO_SCHEDULE)


def _opened(case_id: int, path: str, n: int) -> tuple[CaseEvent, Case]:
    return intake.open_case(
        case_id,
        ACTORS[Position.ACCEPTOR],
        Position.ACCEPTOR,
        T + timedelta(seconds=n),
        category="event:0101",
        source=Source.HOTLINE,
        area_code=path.rstrip("/").rsplit("/", 1)[-1],
        area_path=path,
        description=f"case {n}",
    )


def _create_batch(uow: UnitOfWork, grids: list[int], n: int) -> None:
    """As group-committed intake stores them: ids reserved, rows written whole."""
    new = []
    for case_id, grid in zip(uow.cases.reserve_ids(len(grids)), grids, strict=True):
        event, case = _opened(case_id, GRIDS[grid % len(GRIDS)], n)
        new.append(NewCase(case, (event,), NO_SCHEDULE, None))
    uow.cases.insert_new(new)


def _act(uow: UnitOfWork, case_id: int, choice: int, steps: int, n: int) -> None:
    """`steps` workflow actions on the case in one transaction, each one of those the
    workflow allows then, picked by `choice`."""
    case = uow.cases.get(case_id)
    assert case is not None
    for step in range(steps):
        at = T + timedelta(minutes=n, seconds=step)
        allowed: list[tuple[Position, CaseAction]] = [
            (position, CaseAction(action))
            for position in sorted(ACTORS, key=str)
            for action in allowed_actions(case, position, at)
            if CaseAction(action) in ACTIONS
        ]
        onward: list[tuple[Position, CaseAction]] = [
            (p, a) for p, a in allowed if a not in (CaseAction.VOID, CaseAction.RETURN)
        ]
        held: list[tuple[Position, CaseAction]] = [
            (p, a) for p, a in onward if a in (CaseAction.REQUEST_HOLD, CaseAction.DECIDE_HOLD)
        ]
        if choice % 4 == 0 and onward:  # straight on towards closing
            allowed = onward[:1]
        elif choice % 4 == 2 and onward:  # on towards a hold
            allowed = held[:1] or onward[:1]
        if not allowed:
            return
        position, action = allowed[(choice + step) % len(allowed)]
        event = call(action, case, ACTORS[position], position, at, DEPT)
        case = case.apply(event)
        uow.cases.append(case, event, NO_SCHEDULE)


def _ids(uow: UnitOfWork) -> list[int]:
    session = uow.session  # type: ignore[attr-defined]
    return list(session.execute(text("SELECT id FROM cases ORDER BY id")).scalars())


OPS = st.one_of(
    st.tuples(st.just("create"), st.integers(0, 50)),
    st.tuples(st.just("batch"), st.lists(st.integers(0, 50), min_size=1, max_size=4)),
    st.tuples(st.just("act"), st.integers(0, 1000), st.integers(0, 50), st.integers(1, 12)),
    st.tuples(st.just("act, then roll back"), st.integers(0, 1000), st.integers(0, 50)),
    st.tuples(st.just("stale act, commit the rest"), st.integers(0, 1000), st.integers(0, 50)),
)


def _run(container: Container, op: tuple[object, ...], n: int) -> None:
    with container.uow() as uow:
        ids = _ids(uow)
        kind = op[0]
        try:
            if kind == "create":
                _create(uow, int(op[1]), n)  # type: ignore[call-overload]
            elif kind == "batch":
                _create_batch(uow, list(op[1]), n)  # type: ignore[call-overload]
            elif not ids:
                return
            elif kind == "act":
                case_id = ids[int(op[1]) % len(ids)]  # type: ignore[call-overload]
                _act(uow, case_id, int(op[2]), int(op[3]), n)  # type: ignore[call-overload]
            elif kind == "act, then roll back":
                _create(uow, int(op[2]), n)  # type: ignore[call-overload]
                _act(uow, ids[int(op[1]) % len(ids)], 0, 8, n)  # type: ignore[call-overload]
                uow.rollback()
                return
            else:  # a transition that loses the race, then other writes committed
                case_id = ids[int(op[1]) % len(ids)]  # type: ignore[call-overload]
                case = uow.cases.get(case_id)
                assert case is not None
                event = call(CaseAction.VOID, case, "lead-zhao", Position.SHIFT_LEADER, T, DEPT)
                stale = replace(event, seq=event.seq + 1)
                with pytest.raises(Conflict):
                    uow.cases.append(case.apply(event), stale, NO_SCHEDULE)
                _create(uow, int(op[2]), n)  # type: ignore[call-overload]
        except DomainError:
            uow.rollback()
            return
        uow.commit()


def _stored(container: Container) -> Counter[tuple[str, str]]:
    with container.engine.connect() as conn:
        rows = conn.execute(select(COUNTS.c.area_path, COUNTS.c.status, COUNTS.c.count))
        return Counter({(p, s): c for p, s, c in rows if c})


def _truth(container: Container) -> Counter[tuple[str, str]]:
    with container.engine.connect() as conn:
        return counts_from_cases(conn)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, min_size=1, max_size=12))
@example(  # one case each closed, on hold and void, in one transaction and in several
    ops=[
        ("create", 0),
        ("act", 0, 0, 9),
        ("batch", [1, 40]),
        ("act", 1, 2, 6),
        ("act", 2, 1, 1),
        ("act", 0, 0, 1),
    ]
)
def test_the_counters_equal_counting_the_cases_after_any_writes(
    container: Container, ops: list[tuple[object, ...]]
) -> None:
    # The database carries over between examples: the counters must hold throughout.
    for n, op in enumerate(ops):
        _run(container, op, n)
    truth = _truth(container)
    assert truth, "no case was written"
    assert _stored(container) == truth
    city = Principal(0, "admin", (Grant(Role.CITY_ADMIN, "410100", "/410100/"),))
    for within in ("/", "/410100/", "/410100/410102/", GRIDS[0]):
        for status in (None, "open", "on_hold", "closed", "void"):
            page = list_cases(
                container.uow(), city, CaseFilter(within=within, status=status), page_size=1
            )
            statuses = [status] if status else ["open", "on_hold", "closed", "void"]
            assert page.count == sum(truth[within, s] for s in statuses)


def test_recount_repairs_counters_after_cases_written_around_the_application(
    container: Container,
) -> None:
    with container.uow() as uow:
        for n in range(5):
            _create(uow, n, n)
        uow.commit()
    cases = Base.metadata.tables["cases"]
    with container.engine.begin() as conn:  # a bulk load and a hand edit, uncounted
        row = dict(conn.execute(select(cases).where(cases.c.id == 1)).mappings().one())
        conn.execute(insert(cases), {**row, "id": 100, "status": "closed"})
        conn.execute(update(cases).where(cases.c.id == 2).values(status="void"))
        conn.execute(delete(COUNTS).where(COUNTS.c.area_path == "/410100/"))
    assert _stored(container) != _truth(container)
    assert recount_cases(container.uow()) > 0
    assert _stored(container) == _truth(container)
    assert recount_cases(container.uow()) == 0


def test_the_recount_command_reports_what_it_repaired(container: Container) -> None:
    with container.uow() as uow:
        _create(uow, 0, 0)
        uow.commit()
    with container.engine.begin() as conn:
        conn.execute(delete(COUNTS))
    settings = container.settings
    runner = CliRunner(
        env={
            "CIVICGRID_DATABASE_URL": settings.database_url,
            "CIVICGRID_DATA_DIR": str(settings.data_dir),
            "CIVICGRID_ENV": "test",
            "CIVICGRID_SECRET_KEY": settings.secret_key,
        }
    )
    first = runner.invoke(app, ["cases", "recount"], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "counter(s) were wrong and are now exact" in first.output
    again = runner.invoke(app, ["cases", "recount"], catch_exceptions=False)
    assert "every counter was exact" in again.output
    assert _stored(container) == _truth(container)
