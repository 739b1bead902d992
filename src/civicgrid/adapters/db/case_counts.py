"""Case counters: how many cases each subtree holds in each status, kept exact.

A row (area_path, status, count) counts the cases at or below `area_path`: a case
adds one to the row of its own area and of every ancestor up to "/", the root of
everything. A subtree's count is then
one row (or one per status), where counting the cases reads one index entry per case
(63,000 for the city's open cases, 165,000 for a district across every status).

Every write that creates a case or changes its status calls in here: `count_opened`
or `count_new` after cases are inserted, `count_transition` before a case's projection
is rewritten (a case's area never changes). The changes gather in the session and are written just
before it commits, in one sorted pass: each counter row is locked only for the
commit, and always in the same order, so concurrent transactions never deadlock on
them. A rolled-back transaction leaves the counters as they were.
`recount` rebuilds them from the cases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Insert,
    bindparam,
    delete,
    event,
    false,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction

from civicgrid.adapters.db.base import Base
from civicgrid.adapters.db.tables import CaseCountRow, CaseRow
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.areas.area import is_within

_COUNTS = Base.metadata.tables[CaseCountRow.__tablename__]
_CASES = Base.metadata.tables[CaseRow.__tablename__]
_PENDING = "civicgrid.case_count_changes"
OPENED = "open"  # the status every case is inserted with

# The case's state at a seq, locked until the transaction ends. PostgreSQL locks the
# row; SQLite locks the database at a transaction's first write, so there the read is
# a rewrite of the row to itself.
_AT_SEQ = (_CASES.c.id == bindparam("case_id"), _CASES.c.last_seq == bindparam("seq"))
_STATE_AT = {
    "postgresql": select(_CASES.c.area_path, _CASES.c.status).where(*_AT_SEQ).with_for_update(),
    "sqlite": update(_CASES)
    .where(*_AT_SEQ)
    .values(last_seq=_CASES.c.last_seq)
    .returning(_CASES.c.area_path, _CASES.c.status),
}


def _upsert(dialect: Any) -> Insert:
    stmt = dialect.insert(_COUNTS).values(
        area_path=bindparam("area_path"), status=bindparam("status"), count=bindparam("delta")
    )
    return stmt.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=[_COUNTS.c.area_path, _COUNTS.c.status],
        set_={"count": _COUNTS.c.count + stmt.excluded["count"]},
    )


_UPSERT = {"sqlite": _upsert(sqlite), "postgresql": _upsert(postgresql)}


def subtrees_of(path: AreaPath) -> list[AreaPath]:
    """`path` and each of its ancestors, up to the root of everything, "/":
    "/41/4101/" → ["/", "/41/", "/41/4101/"]."""
    codes = [part for part in path.split("/") if part]
    return ["/" + "".join(f"{code}/" for code in codes[:n]) for n in range(len(codes) + 1)]


def _pending(session: Session) -> Counter[tuple[str, str]]:
    pending: Counter[tuple[str, str]] | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = Counter()
    return pending


def count_opened(session: Session, area_path: AreaPath, status: str = OPENED) -> None:
    """A case was inserted at `area_path`: one more in each enclosing subtree."""
    pending = _pending(session)
    for path in subtrees_of(area_path):
        pending[path, status] += 1


def count_new(session: Session, cases: Iterable[tuple[AreaPath, str]]) -> None:
    """Cases were inserted, each (area_path, status) as stored."""
    pending = _pending(session)
    for area_path, status in cases:
        for path in subtrees_of(area_path):
            pending[path, status] += 1


def count_transition(session: Session, case_id: int, prev_seq: int, status: str) -> None:
    """The case is about to move from its state at `prev_seq` to `status`.

    Called before the rewrite that checks `prev_seq`: the row read here is locked
    until the transaction ends, so the rewrite finds it as read and succeeds. When it
    is not at `prev_seq` any more the rewrite fails too, and nothing is counted.
    """
    if prev_seq == 0 and status == OPENED:
        return  # the first event of a case inserted open: no change, and no read
    connection = session.connection()
    state_at = _STATE_AT[connection.dialect.name]
    found = connection.execute(state_at, {"case_id": case_id, "seq": prev_seq}).first()
    if found is None or found.status == status:
        return
    pending = _pending(session)
    for path in subtrees_of(found.area_path):
        pending[path, found.status] -= 1
        pending[path, status] += 1


def flush_counts(session: Session) -> None:
    """Write the changes gathered so far, sorted, so row locks come in one order."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    rows = [
        {"area_path": path, "status": status, "delta": delta}
        for (path, status), delta in sorted(pending.items())
        if delta
    ]
    if rows:
        connection = session.connection()
        connection.execute(_UPSERT[connection.dialect.name], rows)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    flush_counts(session)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # Committed, the changes were written; rolled back or closed, they are gone.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def counted_roots(scopes: Sequence[AreaPath], within: AreaPath | None) -> list[AreaPath]:
    """The subtrees whose counters add up to the cases of `within` (everything when
    None) that lie inside `scopes`: none of them inside another."""
    if within is not None and any(is_within(within, scope) for scope in scopes):
        return [within]
    outer = [s for s in scopes if not any(o != s and is_within(s, o) for o in scopes)]
    roots = sorted(set(outer))
    return roots if within is None else [s for s in roots if is_within(s, within)]


def counted(
    session: Session, scopes: Sequence[AreaPath], within: AreaPath | None, status: str | None
) -> int:
    """How many cases of `status` (any when None) `counted_roots` holds."""
    flush_counts(session)  # this transaction's own changes count too
    roots = counted_roots(scopes, within)
    if not roots:
        return 0
    stmt = select(func.coalesce(func.sum(_COUNTS.c.count), 0)).where(_COUNTS.c.area_path.in_(roots))
    if status is not None:
        stmt = stmt.where(_COUNTS.c.status == status)
    return int(session.execute(stmt).scalar_one())


def counts_from_cases(connection: Connection) -> Counter[tuple[str, str]]:
    """The counters as the cases stored now make them."""
    found: Counter[tuple[str, str]] = Counter()
    stmt = select(_CASES.c.area_path, _CASES.c.status, func.count()).group_by(
        _CASES.c.area_path, _CASES.c.status
    )
    for path, status, count in connection.execute(stmt):
        for subtree in subtrees_of(path):
            found[subtree, status] += count
    return found


def recount(session: Session) -> int:
    """Rebuild the counters from the cases; how many rows were wrong or missing.

    On PostgreSQL the counters are locked first, so a transaction counting a change
    meanwhile either committed before the cases are read or waits for this one.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("LOCK TABLE case_counts IN EXCLUSIVE MODE")
    else:  # SQLite's write lock, taken by a first write, for the same reason
        connection.execute(update(_COUNTS).where(false()).values(count=_COUNTS.c.count))
    session.info.pop(_PENDING, None)
    wanted = counts_from_cases(connection)
    stored = {
        (path, status): count
        for path, status, count in connection.execute(
            select(_COUNTS.c.area_path, _COUNTS.c.status, _COUNTS.c.count)
        )
    }
    wrong = _differing(wanted, stored)
    connection.execute(delete(_COUNTS))
    rows = [
        {"area_path": path, "status": status, "count": count}
        for (path, status), count in sorted(wanted.items())
    ]
    for start in range(0, len(rows), 5000):
        connection.execute(_COUNTS.insert(), rows[start : start + 5000])
    return wrong


def _differing(wanted: Counter[tuple[str, str]], stored: dict[tuple[str, str], int]) -> int:
    keys: Iterable[tuple[str, str]] = set(wanted) | set(stored)
    return sum(1 for key in keys if wanted.get(key, 0) != stored.get(key, 0))
