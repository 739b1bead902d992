"""Writing new cases: the insert statements, a row's values, and a batch's cases at once.

A batch takes its case ids first (`reserve_ids`), so that its events can be sealed
(each hash covers the case id) and every case inserted with its final state, in one
statement for the cases and one for their events.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, func, insert, literal_column, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from civicgrid.adapters.db.base import Base
from civicgrid.adapters.db.case_counts import count_new
from civicgrid.domain.cases.events import CaseEvent
from civicgrid.domain.errors import Conflict
from civicgrid.services.case_ports import NewCase

_CASES = Base.metadata.tables["cases"]
_EVENTS = Base.metadata.tables["case_events"]

INSERT_CASE = insert(_CASES)
INSERT_EVENT = insert(_EVENTS)
_NEXT_IDS = text(
    "SELECT nextval(pg_get_serial_sequence('cases', 'id')) FROM generate_series(1, :count)"
)
_TAKE_WRITE_LOCK = (
    update(_CASES).where(literal_column("0") == literal_column("1")).values(id=_CASES.c.id)
)
_HIGHEST_ID = select(func.coalesce(func.max(_CASES.c.id), 0))


def reserve_ids(connection: Connection, count: int) -> list[int]:
    """`count` case ids no other transaction will use, in increasing order."""
    if count <= 0:
        return []
    if connection.dialect.name == "postgresql":
        return sorted(connection.execute(_NEXT_IDS, {"count": count}).scalars())
    # SQLite: one writer at a time. Take the write lock with a statement that changes
    # nothing, then no one else can add a case until this transaction ends, so the
    # ids after the highest are this transaction's.
    connection.execute(_TAKE_WRITE_LOCK)
    highest = connection.execute(_HIGHEST_ID).scalar_one()
    return list(range(highest + 1, highest + 1 + count))


def insert_new(session: Session, cases: Sequence[NewCase]) -> None:
    """Cases opened in memory under reserved ids, with every event they have."""
    if not cases:
        return
    connection = session.connection()
    with key_taken_is_conflict():
        connection.execute(INSERT_CASE, [_new_case_values(new) for new in cases])
    count_new(session, [(new.case.area_path, new.case.status.value) for new in cases])
    connection.execute(INSERT_EVENT, [event_values(event) for new in cases for event in new.events])


@contextmanager
def key_taken_is_conflict() -> Iterator[None]:
    """The keys were looked up first; a twin request committed in between."""
    try:
        yield
    except IntegrityError as error:
        if "idempotency_key" in str(error.orig):
            raise Conflict(
                "another create with this Idempotency-Key committed first; "
                "retry to receive its case",
                field="idempotency_key",
            ) from error
        raise


def _new_case_values(new: NewCase) -> dict[str, Any]:
    case, last, schedule = new.case, new.events[-1], new.schedule
    return {
        "id": case.id,
        "category": case.category,
        "source": case.source.value,
        "urgency": case.urgency.value,
        "stage": case.stage.value,
        "status": case.status.value,
        "outcome": case.outcome.value if case.outcome else None,
        "area_code": case.area_code,
        "area_path": case.area_path,
        "department": case.department,
        "lon": case.location[0] if case.location else None,
        "lat": case.location[1] if case.location else None,
        "description": case.description,
        "reported_at": case.reported_at,
        "stage_entered_at": case.stage_entered_at,
        "deadline_at": schedule.deadline_at,
        "warning_at": schedule.warning_at,
        "next_check_at": schedule.next_check_at,
        "escalation_level": case.escalation_level,
        "closed_at": case.closed_at,
        "last_seq": last.seq,
        "last_hash": last.hash,
        "idempotency_key": new.idempotency_key,
    }


def event_values(event: CaseEvent) -> dict[str, Any]:
    return {
        "case_id": event.case_id,
        "seq": event.seq,
        "type": event.type.value,
        "at": event.at,
        "actor": event.actor,
        "position": event.position.value,
        "from_stage": event.from_stage.value if event.from_stage else None,
        "to_stage": event.to_stage.value if event.to_stage else None,
        "reason": event.reason,
        "data": event.data,
        "attachments": list(event.attachments),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }
