"""Cases on SQLAlchemy: events appended under optimistic concurrency, a listing projection."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Select, false, func, insert, or_, select, update
from sqlalchemy.orm import Session

from civicgrid.adapters.db.area_repository import _path_range
from civicgrid.adapters.db.tables import CaseEventRow, CaseRow, ReporterContactRow
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.duplicates import Candidate
from civicgrid.domain.cases.events import GENESIS_HASH, CaseEvent, EventType
from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Stage
from civicgrid.domain.errors import Conflict
from civicgrid.services.ports import CaseDraft, CaseFilter, CaseListing, Contact, Page, Schedule


class SqlCaseRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def open_case(self, draft: CaseDraft, *, idempotency_key: str | None) -> int:
        row = CaseRow(
            category=draft.category,
            source=draft.source.value,
            urgency=draft.urgency.value,
            stage=Stage.COLLECT.value,
            status="open",
            area_code=draft.area_code,
            area_path=draft.area_path,
            lon=draft.location[0] if draft.location else None,
            lat=draft.location[1] if draft.location else None,
            description=draft.description,
            reported_at=draft.reported_at,
            stage_entered_at=draft.reported_at,
            escalation_level=0,
            last_seq=0,
            last_hash=GENESIS_HASH,
            idempotency_key=idempotency_key,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def append(self, case: Case, event: CaseEvent, schedule: Schedule) -> None:
        """Store `event` and the state it led to; fails if someone appended first."""
        changed = self._session.execute(
            update(CaseRow)
            .where(CaseRow.id == case.id, CaseRow.last_seq == event.seq - 1)
            .values(
                stage=case.stage.value,
                status=case.status.value,
                outcome=case.outcome.value if case.outcome else None,
                department=case.department,
                stage_entered_at=case.stage_entered_at,
                deadline_at=schedule.deadline_at,
                warning_at=schedule.warning_at,
                next_check_at=schedule.next_check_at,
                escalation_level=case.escalation_level,
                closed_at=case.closed_at,
                last_seq=event.seq,
                last_hash=event.hash,
            )
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"case {case.id} changed while you were acting on it; try again")
        self._session.execute(
            insert(CaseEventRow),
            [
                {
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
            ],
        )

    def events(self, case_id: int) -> list[CaseEvent]:
        stmt = (
            select(CaseEventRow).where(CaseEventRow.case_id == case_id).order_by(CaseEventRow.seq)
        )
        return [_event(row) for row in self._session.execute(stmt).scalars()]

    def get(self, case_id: int) -> Case | None:
        events = self.events(case_id)
        return Case.from_events(events) if events else None

    def find_by_idempotency_key(self, key: str) -> int | None:
        stmt = select(CaseRow.id).where(CaseRow.idempotency_key == key)
        return self._session.execute(stmt).scalar_one_or_none()

    def listing(
        self, scopes: Sequence[AreaPath], where: CaseFilter, *, offset: int, limit: int
    ) -> Page[CaseListing]:
        conditions = [_in_scopes(scopes), *_filters(where)]
        count = self._session.execute(
            select(func.count()).select_from(CaseRow).where(*conditions)
        ).scalar_one()
        stmt: Select[CaseRow] = (
            select(CaseRow)
            .where(*conditions)
            .order_by(CaseRow.reported_at.desc(), CaseRow.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return Page(items=[_listing(r) for r in self._session.execute(stmt).scalars()], count=count)

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
            rows = self._session.execute(
                select(CaseEventRow)
                .where(CaseEventRow.case_id.in_(ids))
                .order_by(CaseEventRow.case_id, CaseEventRow.seq)
            ).scalars()
            grouped: dict[int, list[CaseEvent]] = {case_id: [] for case_id in ids}
            for row in rows:
                grouped[row.case_id].append(_event(row))
            yield from grouped.values()
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
            grouped: dict[int, list[CaseEvent]] = {case_id: [] for case_id in ids}
            rows = self._session.execute(
                select(CaseEventRow)
                .where(CaseEventRow.case_id.in_(ids))
                .order_by(CaseEventRow.case_id, CaseEventRow.seq)
            ).scalars()
            for row in rows:
                grouped[row.case_id].append(_event(row))
            yield from grouped.values()
            last_id = ids[-1]

    def candidates_near(
        self,
        category: str,
        bbox: tuple[float, float, float, float],
        since: datetime,
        until: datetime,
        exclude_id: int,
    ) -> list[Candidate]:
        """Open cases only: a closed or void case cannot be merged into. The
        (category, reported_at) index finds the window; the box is checked on its rows."""
        min_lon, min_lat, max_lon, max_lat = bbox
        stmt = select(CaseRow.id, CaseRow.lon, CaseRow.lat, CaseRow.reported_at).where(
            CaseRow.category == category,
            CaseRow.reported_at >= since,
            CaseRow.reported_at <= until,
            CaseRow.lon.between(min_lon, max_lon),
            CaseRow.lat.between(min_lat, max_lat),
            CaseRow.status.in_(("open", "on_hold")),
            CaseRow.id != exclude_id,
        )
        return [
            Candidate(id=case_id, category=category, point=(lon, lat), reported_at=at)
            for case_id, lon, lat, at in self._session.execute(stmt)
            if lon is not None and lat is not None  # never, inside a box; for the types
        ]

    def save_contact(self, case_id: int, contact: Contact) -> None:
        self._session.add(
            ReporterContactRow(
                case_id=case_id, name=contact.name, phone=contact.phone, email=contact.email
            )
        )

    def contact(self, case_id: int) -> Contact | None:
        row = self._session.get(ReporterContactRow, case_id)
        return None if row is None else Contact(name=row.name, phone=row.phone, email=row.email)


def _in_scopes(scopes: Sequence[AreaPath]) -> ColumnElement[bool]:
    if not scopes:
        return false()
    ranges = [
        (CaseRow.area_path >= low) & (CaseRow.area_path < high)
        for low, high in map(_path_range, scopes)
    ]
    return or_(*ranges)


def _filters(where: CaseFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if where.within is not None:
        low, high = _path_range(where.within)
        found += [CaseRow.area_path >= low, CaseRow.area_path < high]
    if where.status is not None:
        found.append(CaseRow.status == where.status)
    if where.stage is not None:
        found.append(CaseRow.stage == where.stage.value)
    if where.category is not None:
        found.append(CaseRow.category == where.category)
    if where.source is not None:
        found.append(CaseRow.source == where.source.value)
    if where.reported_from is not None:
        found.append(CaseRow.reported_at >= where.reported_from)
    if where.reported_to is not None:
        found.append(CaseRow.reported_at < where.reported_to)
    if where.overdue_at is not None:
        found.append(CaseRow.deadline_at <= where.overdue_at)
    return found


def _event(row: CaseEventRow) -> CaseEvent:
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


def _listing(row: CaseRow) -> CaseListing:
    return CaseListing(
        id=row.id,
        category=row.category,
        source=row.source,
        urgency=row.urgency,
        stage=Stage(row.stage),
        status=row.status,
        outcome=row.outcome,
        area_code=row.area_code,
        area_path=row.area_path,
        department=row.department,
        description=row.description,
        location=(row.lon, row.lat) if row.lon is not None and row.lat is not None else None,
        reported_at=row.reported_at,
        stage_entered_at=row.stage_entered_at,
        deadline_at=row.deadline_at,
        warning_at=row.warning_at,
        escalation_level=row.escalation_level,
        closed_at=row.closed_at,
    )
