"""Cases on SQLAlchemy: events appended under optimistic concurrency, a listing projection.

Intake runs these statements for every report, so they are Core statements built once
and executed on the session's connection: the ORM's unit of work would cost several
times the queries themselves.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    CursorResult,
    Row,
    bindparam,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.orm import Session

from civicgrid.adapters.db import case_map, case_writes
from civicgrid.adapters.db.area_repository import _path_range
from civicgrid.adapters.db.base import Base
from civicgrid.adapters.db.case_counts import count_opened, count_transition, recount
from civicgrid.adapters.db.case_listing import list_page
from civicgrid.adapters.db.case_log import (
    cases_merged_into,
    events_of_cases,
    iter_events_changed_since,
    log_mark,
)
from civicgrid.adapters.db.case_writes import (
    INSERT_CASE,
    INSERT_EVENT,
    event_values,
    key_taken_is_conflict,
)
from civicgrid.adapters.db.tables import CaseEventRow, CaseRow, ReporterContactRow
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.duplicates import Candidate
from civicgrid.domain.cases.events import GENESIS_HASH, CaseEvent, EventType
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Stage
from civicgrid.domain.errors import Conflict
from civicgrid.services.case_ports import AreaCaseCount, CasePoint, LogMark, NewCase
from civicgrid.services.ports import CaseDraft, CaseFilter, CaseListing, Contact, Page, Schedule

_CASES = Base.metadata.tables["cases"]
_EVENTS = Base.metadata.tables["case_events"]
_REPORTERS = Base.metadata.tables["case_reporters"]

_INSERT_CONTACT = insert(_REPORTERS)
_APPEND = (
    update(_CASES)
    .where(_CASES.c.id == bindparam("case_id"), _CASES.c.last_seq == bindparam("prev_seq"))
    .values(
        {
            name: bindparam(f"new_{name}")
            for name in (
                "stage",
                "status",
                "outcome",
                "department",
                "stage_entered_at",
                "deadline_at",
                "warning_at",
                "next_check_at",
                "escalation_level",
                "closed_at",
                "last_seq",
                "last_hash",
            )
        }
    )
)
_EVENT_COLUMNS = [
    _EVENTS.c[name]
    for name in (
        "case_id",
        "seq",
        "type",
        "at",
        "actor",
        "position",
        "from_stage",
        "to_stage",
        "reason",
        "data",
        "attachments",
        "prev_hash",
        "hash",
    )
]
_EVENTS_OF = (
    select(*_EVENT_COLUMNS).where(_EVENTS.c.case_id == bindparam("case_id")).order_by(_EVENTS.c.seq)
)
_BY_KEY = select(_CASES.c.id).where(_CASES.c.idempotency_key == bindparam("key"))
_BY_KEYS = select(_CASES.c.idempotency_key, _CASES.c.id).where(
    _CASES.c.idempotency_key.in_(bindparam("keys", expanding=True))
)
_NEAR = select(_CASES.c.id, _CASES.c.lon, _CASES.c.lat, _CASES.c.reported_at).where(
    # ix_cases_category_place: the category, a band of latitude; the rest from the
    # index entries, and only the few rows left are read for their status.
    _CASES.c.category == bindparam("category"),
    _CASES.c.lat.between(bindparam("min_lat"), bindparam("max_lat")),
    _CASES.c.lon.between(bindparam("min_lon"), bindparam("max_lon")),
    _CASES.c.reported_at >= bindparam("since"),
    _CASES.c.reported_at <= bindparam("until"),
    # Constants, not an expanding IN: that is rebuilt at every execution.
    _CASES.c.status.in_([literal_column("'open'"), literal_column("'on_hold'")]),
    _CASES.c.id != bindparam("exclude_id"),
)


class SqlCaseRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _connection(self) -> Connection:
        return self._session.connection()

    def open_case(self, draft: CaseDraft, *, idempotency_key: str | None) -> int:
        with key_taken_is_conflict():
            result = self._insert_case(draft, idempotency_key)
        (case_id,) = result.inserted_primary_key or (None,)
        count_opened(self._session, draft.area_path)
        assert isinstance(case_id, int)  # noqa: S101 - an integer primary key
        return case_id

    def reserve_ids(self, count: int) -> list[int]:
        return case_writes.reserve_ids(self._connection(), count)

    def insert_new(self, cases: Sequence[NewCase]) -> None:
        case_writes.insert_new(self._session, cases)

    def _insert_case(self, draft: CaseDraft, idempotency_key: str | None) -> CursorResult[Any]:
        return self._connection().execute(
            INSERT_CASE,
            {
                "category": draft.category,
                "source": draft.source.value,
                "urgency": draft.urgency.value,
                "stage": Stage.COLLECT.value,
                "status": "open",
                "outcome": None,
                "area_code": draft.area_code,
                "area_path": draft.area_path,
                "department": None,
                "lon": draft.location[0] if draft.location else None,
                "lat": draft.location[1] if draft.location else None,
                "description": draft.description,
                "reported_at": draft.reported_at,
                "stage_entered_at": draft.reported_at,
                "deadline_at": None,
                "warning_at": None,
                "next_check_at": None,
                "escalation_level": 0,
                "closed_at": None,
                "last_seq": 0,
                "last_hash": GENESIS_HASH,
                "idempotency_key": idempotency_key,
            },
        )

    def append(self, case: Case, event: CaseEvent, schedule: Schedule) -> None:
        """Store `event` and the state it led to; fails if someone appended first."""
        connection = self._connection()
        count_transition(self._session, case.id, event.seq - 1, case.status.value)
        changed = connection.execute(
            _APPEND,
            {
                "case_id": case.id,
                "prev_seq": event.seq - 1,
                "new_stage": case.stage.value,
                "new_status": case.status.value,
                "new_outcome": case.outcome.value if case.outcome else None,
                "new_department": case.department,
                "new_stage_entered_at": case.stage_entered_at,
                "new_deadline_at": schedule.deadline_at,
                "new_warning_at": schedule.warning_at,
                "new_next_check_at": schedule.next_check_at,
                "new_escalation_level": case.escalation_level,
                "new_closed_at": case.closed_at,
                "new_last_seq": event.seq,
                "new_last_hash": event.hash,
            },
        )
        if changed.rowcount != 1:
            raise Conflict(f"case {case.id} changed while you were acting on it; try again")
        connection.execute(INSERT_EVENT, event_values(event))

    def events(self, case_id: int) -> list[CaseEvent]:
        rows = self._connection().execute(_EVENTS_OF, {"case_id": case_id})
        return [_event(row) for row in rows]

    def get(self, case_id: int) -> Case | None:
        events = self.events(case_id)
        return Case.from_events(events) if events else None

    def find_by_idempotency_key(self, key: str) -> int | None:
        return self._connection().execute(_BY_KEY, {"key": key}).scalar_one_or_none()

    def find_by_idempotency_keys(self, keys: Collection[str]) -> dict[str, int]:
        if not keys:
            return {}
        rows = self._connection().execute(_BY_KEYS, {"keys": list(keys)})
        return {str(key): int(case_id) for key, case_id in rows}

    def listing(
        self, scopes: Sequence[AreaPath], where: CaseFilter, *, offset: int, limit: int
    ) -> Page[CaseListing]:
        return list_page(self._session, scopes, where, offset=offset, limit=limit)

    def recount(self) -> int:
        return recount(self._session)

    def due_for_tick(self, now: datetime, limit: int) -> list[int]:
        """Open cases whose current stage deadline has passed."""
        stmt = (
            select(CaseRow.id)
            .where(CaseRow.status == "open", CaseRow.next_check_at <= now)
            .order_by(CaseRow.next_check_at)
            .limit(limit)
        )
        return list(self._session.execute(stmt).scalars())

    def iter_events(self, batch: int = 5000) -> Iterator[list[CaseEvent]]:
        """Every case's events, case by case, read in batches."""
        last_id = 0
        while True:
            ids = list(
                self._session.execute(
                    select(CaseRow.id).where(CaseRow.id > last_id).order_by(CaseRow.id).limit(batch)
                ).scalars()
            )
            if not ids:
                return
            yield from events_of_cases(self._session, ids, _event)
            last_id = ids[-1]

    def iter_events_within(self, path: AreaPath, batch: int = 5000) -> Iterator[list[CaseEvent]]:
        """The events of each case in the subtree at `path`, case by case, in batches."""
        low, high = _path_range(path)
        last_id = 0
        while True:
            ids = list(
                self._session.execute(
                    select(CaseRow.id)
                    .where(CaseRow.id > last_id, CaseRow.area_path >= low, CaseRow.area_path < high)
                    .order_by(CaseRow.id)
                    .limit(batch)
                ).scalars()
            )
            if not ids:
                return
            yield from events_of_cases(self._session, ids, _event)
            last_id = ids[-1]

    def log_mark(self) -> LogMark:
        return log_mark(self._session)

    def iter_events_changed_since(
        self, event_id: int, batch: int = 5000
    ) -> Iterator[list[CaseEvent]]:
        return iter_events_changed_since(self._session, event_id, _event, batch)

    def cases_merged_into(self, case_id: int) -> list[int]:
        return cases_merged_into(self._session, case_id)

    def candidates_near(
        self,
        category: str,
        bbox: tuple[float, float, float, float],
        since: datetime,
        until: datetime,
        exclude_id: int,
    ) -> list[Candidate]:
        """Open cases only: a closed or void case cannot be merged into."""
        min_lon, min_lat, max_lon, max_lat = bbox
        rows = self._connection().execute(
            _NEAR,
            {
                "category": category,
                "min_lon": min_lon,
                "max_lon": max_lon,
                "min_lat": min_lat,
                "max_lat": max_lat,
                "since": since,
                "until": until,
                "exclude_id": exclude_id,
            },
        )
        return [
            Candidate(id=case_id, category=category, point=(lon, lat), reported_at=at)
            for case_id, lon, lat, at in rows
            if lon is not None and lat is not None  # never, inside a box; for the types
        ]

    def count_open_by_area(
        self, scopes: Sequence[AreaPath], *, within: AreaPath, path_length: int, now: datetime
    ) -> list[AreaCaseCount]:
        return case_map.count_open_by_prefix(
            self._session, scopes, within=within, prefix_length=path_length, now=now
        )

    def open_points(
        self, scopes: Sequence[AreaPath], bbox: tuple[float, float, float, float], *, limit: int
    ) -> list[CasePoint]:
        return case_map.open_points(self._session, scopes, bbox, limit=limit)

    def open_density(
        self, scopes: Sequence[AreaPath], bbox: tuple[float, float, float, float], *, cell: float
    ) -> list[tuple[float, float, int]]:
        return case_map.open_density(self._session, scopes, bbox, cell=cell)

    def save_contact(self, case_id: int, contact: Contact) -> None:
        self._connection().execute(
            _INSERT_CONTACT,
            {
                "case_id": case_id,
                "name": contact.name,
                "phone": contact.phone,
                "email": contact.email,
            },
        )

    def contact(self, case_id: int) -> Contact | None:
        row = self._session.get(ReporterContactRow, case_id)
        return None if row is None else Contact(name=row.name, phone=row.phone, email=row.email)


def _event(row: CaseEventRow | Row[Any]) -> CaseEvent:
    return CaseEvent(
        case_id=row.case_id,
        seq=row.seq,
        type=EventType(row.type),
        at=row.at,
        actor=row.actor,
        position=Position(row.position),
        from_stage=Stage(row.from_stage) if row.from_stage else None,
        to_stage=Stage(row.to_stage) if row.to_stage else None,
        reason=row.reason,
        data=dict(row.data),
        attachments=tuple(row.attachments),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
