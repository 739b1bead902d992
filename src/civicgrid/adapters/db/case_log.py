"""Reading the case log across cases: where it stands, what changed, what was merged where."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civicgrid.adapters.db.tables import CaseEventRow, CaseRow
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.stages import Outcome
from civicgrid.services.case_ports import LogMark


def log_mark(session: Session) -> LogMark:
    """One statement, so the three figures describe the same snapshot."""
    row = session.execute(
        select(func.max(CaseEventRow.id), func.count(), func.max(CaseEventRow.at))
    ).one()
    return LogMark(last_event_id=row[0] or 0, events=int(row[1]), latest_at=row[2])


def iter_events_changed_since(
    session: Session,
    event_id: int,
    to_event: Callable[[CaseEventRow], CaseEvent],
    batch: int = 5000,
) -> Iterator[list[CaseEvent]]:
    """Every event of each case that has an event with an id above `event_id`, case by case."""
    changed = select(CaseEventRow.case_id).where(CaseEventRow.id > event_id).distinct()
    case_ids = sorted(session.execute(changed).scalars())
    for start in range(0, len(case_ids), batch):
        yield from events_of_cases(session, case_ids[start : start + batch], to_event)


def events_of_cases(
    session: Session, case_ids: Sequence[int], to_event: Callable[[CaseEventRow], CaseEvent]
) -> Iterator[list[CaseEvent]]:
    """The events of each of `case_ids` (a batch), in sequence order, in one query."""
    grouped: dict[int, list[CaseEvent]] = {case_id: [] for case_id in case_ids}
    rows = session.execute(
        select(CaseEventRow)
        .where(CaseEventRow.case_id.in_(case_ids))
        .order_by(CaseEventRow.case_id, CaseEventRow.seq)
    ).scalars()
    for row in rows:
        grouped[row.case_id].append(to_event(row))
    yield from grouped.values()


def cases_merged_into(session: Session, case_id: int) -> list[int]:
    """The cases that stand closed as duplicates of `case_id`, by their MERGED event.

    Merges are few, so scanning them beats an index every event write would pay for.
    """
    stmt = (
        select(CaseEventRow.case_id)
        .join(CaseRow, CaseRow.id == CaseEventRow.case_id)
        .where(
            CaseRow.outcome == Outcome.DUPLICATE.value,
            CaseEventRow.type == EventType.MERGED.value,
            CaseEventRow.data["into"].as_integer() == case_id,
        )
        .distinct()
        .order_by(CaseEventRow.case_id)
    )
    return list(session.execute(stmt).scalars())
