"""The ledger on SQLAlchemy: append after a stream's last entry, read a stream back."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from civicgrid.adapters.db.tables import LedgerEntryRow
from civicgrid.domain.errors import Conflict
from civicgrid.domain.ledger import LedgerEntry


class SqlLedgerRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def append(self, entry: LedgerEntry) -> LedgerEntry:
        last = self._session.execute(
            select(LedgerEntryRow)
            .where(LedgerEntryRow.stream == entry.stream)
            .order_by(LedgerEntryRow.seq.desc())
            .limit(1)
        ).scalar_one_or_none()
        placed = entry.following(None if last is None else _entry(last))
        try:
            self._session.execute(insert(LedgerEntryRow), [_values(placed)])
        except IntegrityError as exc:  # another writer took this sequence number
            raise Conflict(f"{entry.stream} changed meanwhile; try again") from exc
        return placed

    def append_many(self, entries: Sequence[LedgerEntry]) -> None:
        streams = [e.stream for e in entries]
        last: dict[str, LedgerEntry] = {}
        for start in range(0, len(streams), 500):
            chunk = streams[start : start + 500]
            newest = (
                select(LedgerEntryRow.stream, func.max(LedgerEntryRow.seq).label("seq"))
                .where(LedgerEntryRow.stream.in_(chunk))
                .group_by(LedgerEntryRow.stream)
                .subquery()
            )
            stmt = select(LedgerEntryRow).join(
                newest,
                (newest.c.stream == LedgerEntryRow.stream) & (newest.c.seq == LedgerEntryRow.seq),
            )
            for row in self._session.execute(stmt).scalars():
                last[row.stream] = _entry(row)
        placed = [e.following(last.get(e.stream)) for e in entries]
        try:
            self._session.connection().execute(insert(LedgerEntryRow), [_values(e) for e in placed])
        except IntegrityError as exc:
            raise Conflict("the log changed meanwhile; try again") from exc

    def stream(self, stream: str) -> list[LedgerEntry]:
        rows = self._session.execute(
            select(LedgerEntryRow)
            .where(LedgerEntryRow.stream == stream)
            .order_by(LedgerEntryRow.seq)
        ).scalars()
        return [_entry(row) for row in rows]

    def streams_with_prefix(self, prefix: str) -> list[str]:
        # Streams are ASCII; "\x7f" sorts after every character they use.
        stmt = (
            select(LedgerEntryRow.stream)
            .where(LedgerEntryRow.stream >= prefix, LedgerEntryRow.stream < prefix + "\x7f")
            .distinct()
            .order_by(LedgerEntryRow.stream)
        )
        return list(self._session.execute(stmt).scalars())


def _values(entry: LedgerEntry) -> dict[str, object]:
    return {
        "stream": entry.stream,
        "seq": entry.seq,
        "type": entry.type,
        "at": entry.at,
        "actor": entry.actor,
        "area_path": entry.area_path,
        "data": entry.data,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def _entry(row: LedgerEntryRow) -> LedgerEntry:
    return LedgerEntry(
        stream=row.stream,
        seq=row.seq,
        type=row.type,
        at=row.at,
        actor=row.actor,
        area_path=row.area_path,
        data=row.data,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
