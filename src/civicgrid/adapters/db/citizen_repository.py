"""Public channels on SQLAlchemy: citizen records, Open311 keys and queue, public listing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql._typing import _ColumnsClauseArgument

from civicgrid.adapters.db.case_repository import _event
from civicgrid.adapters.db.tables import (
    AreaRow,
    CaseEventRow,
    CaseRow,
    CitizenReportRow,
    Open311ApiKeyRow,
    Open311QueuedRow,
)
from civicgrid.adapters.db.w3c_sql import w3c_text
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.citizens.requests_query import RequestQuery
from civicgrid.services.citizen_ports import (
    ApiKey,
    CitizenRecord,
    PublicListing,
    PublicRow,
    QueuedRequest,
)

_OPEN = ("open", "on_hold")
_CLOSED = ("closed", "void")
_ENDINGS = (EventType.CLOSED.value, EventType.VOIDED.value, EventType.MERGED.value)
_CHUNK = 900
_EVENT_COLUMNS = tuple(CaseEventRow.__table__.c)  # read as rows: no ORM entities

_LAST = CaseEventRow.__table__.alias("last_event")
_PUBLIC_COLUMNS = (
    CaseRow.id,
    CaseRow.category,
    CaseRow.status,
    CaseRow.stage,
    CaseRow.outcome,
    CaseRow.department,
    CaseRow.description,
    CaseRow.area_path,
    CaseRow.lon,
    CaseRow.lat,
    CaseRow.reported_at,
    _LAST.c.at,
    CaseRow.deadline_at,
)

_ROW_COLUMNS = (  # PublicRow's
    CaseRow.id,
    CaseRow.category,
    CaseRow.status,
    CaseRow.stage,
    CaseRow.department,
    CaseRow.description,
    CaseRow.area_path,
    CaseRow.lon,
    CaseRow.lat,
    w3c_text(CaseRow.reported_at),
    w3c_text(_LAST.c.at),
    w3c_text(CaseRow.deadline_at),
    CitizenReportRow.address_string,
    CitizenReportRow.media_url,
)


class SqlCitizenRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_record(self, record: CitizenRecord) -> None:
        self._session.execute(
            insert(CitizenReportRow),
            [
                {
                    "case_id": record.case_id,
                    "channel": record.channel,
                    "tracking_digest": record.tracking_digest,
                    "api_key_id": record.api_key_id,
                    "address_string": record.address_string,
                    "address_id": record.address_id,
                    "media_url": record.media_url,
                    "device_id": record.device_id,
                    "account_id": record.account_id,
                    "attributes": record.attributes,
                    "created_at": record.created_at,
                }
            ],
        )

    def case_for_code(self, digest: str) -> int | None:
        stmt = select(CitizenReportRow.case_id).where(CitizenReportRow.tracking_digest == digest)
        return self._session.execute(stmt).scalar_one_or_none()

    def records(self, case_ids: Sequence[int]) -> dict[int, CitizenRecord]:
        found: dict[int, CitizenRecord] = {}
        for start in range(0, len(case_ids), _CHUNK):
            chunk = case_ids[start : start + _CHUNK]
            stmt = select(*CitizenReportRow.__table__.c).where(CitizenReportRow.case_id.in_(chunk))
            for row in self._session.connection().execute(stmt):
                found[row.case_id] = CitizenRecord(
                    case_id=row.case_id,
                    channel=row.channel,
                    tracking_digest=row.tracking_digest,
                    created_at=row.created_at,
                    api_key_id=row.api_key_id,
                    address_string=row.address_string,
                    address_id=row.address_id,
                    media_url=row.media_url,
                    device_id=row.device_id,
                    account_id=row.account_id,
                    attributes=dict(row.attributes),
                )
        return found

    def add_api_key(self, name: str, digest: str, now: datetime) -> int:
        row = Open311ApiKeyRow(name=name, digest=digest, created_at=now)
        self._session.add(row)
        self._session.flush()
        return row.id

    def api_key_for(self, digest: str) -> ApiKey | None:
        # Every Open311 POST asks: Core columns on the session's connection, no ORM load.
        row = self._session.connection().execute(_LIVE_KEY, {"digest": digest}).first()
        return None if row is None else ApiKey(row.id, row.name, row.created_at, row.revoked_at)

    def api_keys(self) -> list[ApiKey]:
        stmt = select(Open311ApiKeyRow).order_by(Open311ApiKeyRow.name)
        return [_key(row) for row in self._session.execute(stmt).scalars()]

    def revoke_api_key(self, name: str, now: datetime) -> bool:
        changed = self._session.execute(
            update(Open311ApiKeyRow)
            .where(Open311ApiKeyRow.name == name, Open311ApiKeyRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return bool(changed.rowcount)  # type: ignore[attr-defined]

    def enqueue(self, queued: QueuedRequest) -> None:
        self._session.add(
            Open311QueuedRow(
                token=queued.token,
                api_key_id=queued.api_key_id,
                form=queued.form,
                status=queued.status,
                case_id=queued.case_id,
                reason=queued.reason,
                created_at=queued.created_at,
                decided_at=queued.decided_at,
            )
        )
        self._session.flush()

    def queued(self, token: str) -> QueuedRequest | None:
        row = self._session.get(Open311QueuedRow, token)
        return None if row is None else _queued(row)

    def queue(self, status: str | None, limit: int) -> list[QueuedRequest]:
        stmt = select(Open311QueuedRow).order_by(Open311QueuedRow.created_at).limit(limit)
        if status is not None:
            stmt = stmt.where(Open311QueuedRow.status == status)
        return [_queued(row) for row in self._session.execute(stmt).scalars()]

    def decide(
        self, token: str, status: str, case_id: int | None, reason: str, now: datetime
    ) -> None:
        self._session.execute(
            update(Open311QueuedRow)
            .where(Open311QueuedRow.token == token)
            .values(status=status, case_id=case_id, reason=reason, decided_at=now)
        )

    def public_page(self, query: RequestQuery) -> list[PublicListing]:
        stmt = _page(query, _PUBLIC_COLUMNS)
        # Core on the connection: no ORM entities here, so none of its per-row work.
        return [_listing(row) for row in self._session.connection().execute(stmt)]

    def public_rows(self, query: RequestQuery) -> list[PublicRow]:
        # Columns that need no result processing, times as text: rows come out as values.
        stmt = _page(query, _ROW_COLUMNS).outerjoin(
            CitizenReportRow, CitizenReportRow.case_id == CaseRow.id
        )
        rows = self._session.connection().execute(stmt).all()
        return cast(list[PublicRow], rows)

    def closing_events(self, case_ids: Sequence[int]) -> dict[int, CaseEvent]:
        found: dict[int, CaseEvent] = {}
        for start in range(0, len(case_ids), _CHUNK):
            stmt = (
                select(*_EVENT_COLUMNS)
                .where(
                    CaseEventRow.case_id.in_(case_ids[start : start + _CHUNK]),
                    CaseEventRow.type.in_(_ENDINGS),
                )
                .order_by(CaseEventRow.case_id, CaseEventRow.seq)
            )
            for row in self._session.connection().execute(stmt):
                found[row.case_id] = _event(row)  # the latest wins
        return found

    def area_names(self, paths: Sequence[AreaPath]) -> dict[AreaPath, tuple[str, str]]:
        found: dict[AreaPath, tuple[str, str]] = {}
        wanted = list(dict.fromkeys(paths))
        for start in range(0, len(wanted), _CHUNK):
            stmt = select(AreaRow.path, AreaRow.name_zh, AreaRow.name_en).where(
                AreaRow.path.in_(wanted[start : start + _CHUNK])
            )
            for path, name_zh, name_en in self._session.connection().execute(stmt):
                found[path] = (name_zh, name_en)
        return found

    def events_of(self, case_ids: Sequence[int]) -> dict[int, list[CaseEvent]]:
        found: dict[int, list[CaseEvent]] = {}
        for start in range(0, len(case_ids), _CHUNK):
            stmt = (
                select(*_EVENT_COLUMNS)
                .where(CaseEventRow.case_id.in_(case_ids[start : start + _CHUNK]))
                .order_by(CaseEventRow.case_id, CaseEventRow.seq)
            )
            for row in self._session.connection().execute(stmt):
                found.setdefault(row.case_id, []).append(_event(row))
        return found

    def events_between(self, since: datetime, until: datetime, limit: int) -> list[CaseEvent]:
        stmt = (
            select(*_EVENT_COLUMNS)
            .where(CaseEventRow.at >= since, CaseEventRow.at < until)
            .order_by(CaseEventRow.at, CaseEventRow.id)
            .limit(limit)
        )
        rows = self._session.connection().execute(stmt)
        return [_event(row) for row in rows]


def _page(query: RequestQuery, columns: Sequence[_ColumnsClauseArgument[Any]]) -> Select[Any]:
    return (
        select(*columns)
        .join(_LAST, and_(_LAST.c.case_id == CaseRow.id, _LAST.c.seq == CaseRow.last_seq))
        .where(*_conditions(query))
        .order_by(CaseRow.reported_at.desc(), CaseRow.id.desc())
        .offset(query.offset)
        .limit(query.page_size)
    )


def _conditions(query: RequestQuery) -> list[ColumnElement[bool]]:
    if query.ids is not None:
        return [CaseRow.id.in_(query.ids)]
    found: list[ColumnElement[bool]] = []
    if query.service_codes:
        found.append(CaseRow.category.in_(query.service_codes))
    if query.start is not None:
        found.append(CaseRow.reported_at >= query.start)
    if query.end is not None:
        found.append(CaseRow.reported_at <= query.end)
    if query.statuses and set(query.statuses) != {"open", "closed"}:
        found.append(CaseRow.status.in_(_OPEN if "open" in query.statuses else _CLOSED))
    # A case's events only move forward in time, so its latest event is after a moment
    # exactly when any of its events is: the index on event time answers both.
    if query.updated_after is not None:
        later = select(CaseEventRow.case_id).where(CaseEventRow.at > query.updated_after)
        found.append(CaseRow.id.in_(later))
    if query.updated_before is not None:
        since = select(CaseEventRow.case_id).where(CaseEventRow.at >= query.updated_before)
        found.append(CaseRow.id.not_in(since))
    if query.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = query.bbox
        found += [CaseRow.lon.between(min_lon, max_lon), CaseRow.lat.between(min_lat, max_lat)]
    return found


def _listing(row: Any) -> PublicListing:
    located = row.lon is not None and row.lat is not None
    return PublicListing(
        id=row.id,
        category=row.category,
        status=row.status,
        stage=row.stage,
        outcome=row.outcome,
        department=row.department,
        description=row.description,
        area_path=row.area_path,
        location=(row.lon, row.lat) if located else None,
        reported_at=row.reported_at,
        updated_at=row.at,
        deadline_at=row.deadline_at,
    )


_LIVE_KEY = select(
    Open311ApiKeyRow.id,
    Open311ApiKeyRow.name,
    Open311ApiKeyRow.created_at,
    Open311ApiKeyRow.revoked_at,
).where(Open311ApiKeyRow.digest == bindparam("digest"), Open311ApiKeyRow.revoked_at.is_(None))


def _key(row: Open311ApiKeyRow) -> ApiKey:
    return ApiKey(id=row.id, name=row.name, created_at=row.created_at, revoked_at=row.revoked_at)


def _queued(row: Open311QueuedRow) -> QueuedRequest:
    return QueuedRequest(
        token=row.token,
        api_key_id=row.api_key_id,
        form=dict(row.form),
        status=row.status,
        created_at=row.created_at,
        case_id=row.case_id,
        reason=row.reason,
        decided_at=row.decided_at,
    )
