"""SQL storage for peers, their values, peer groups and practices."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from civicgrid.adapters.db.tables.sanbiao import PeerGroupRow, PeerRow, PeerValueRow, PracticeRow
from civicgrid.domain.areas.area import AreaPath
from civicgrid.domain.sanbiao.peers import Peer, PeerGroup, PeerKind, PeerValue, Practice


def path_range(root: AreaPath) -> tuple[str, str]:
    """[low, high) of the paths in the subtree at `root`: '/' sorts just before '0'."""
    return root, root[:-1] + "0"


class BenchmarkRows:
    _session: Session

    def add_peer(self, peer: Peer) -> int:
        p = peer
        row = PeerRow(
            name_zh=p.name_zh,
            name_en=p.name_en,
            kind=p.kind.value,
            city_zh=p.city_zh,
            city_en=p.city_en,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def peers(self) -> list[Peer]:
        rows = self._session.execute(select(PeerRow).order_by(PeerRow.id)).scalars()
        return [
            Peer(r.id, r.name_zh, r.name_en, PeerKind(r.kind), r.city_zh, r.city_en) for r in rows
        ]

    def set_peer_value(self, value: PeerValue) -> None:
        v = value
        row = self._session.execute(
            select(PeerValueRow).where(
                PeerValueRow.peer_id == v.peer_id,
                PeerValueRow.indicator == v.indicator,
                PeerValueRow.year == v.year,
            )
        ).scalar_one_or_none()
        if row is None:
            row = PeerValueRow(peer_id=v.peer_id, indicator=v.indicator, year=v.year)
            self._session.add(row)
        row.value, row.source = v.value, v.source
        self._session.flush()

    def peer_values(self, indicator: str | None = None) -> list[PeerValue]:
        query = select(PeerValueRow).order_by(PeerValueRow.peer_id, PeerValueRow.year)
        if indicator is not None:
            query = query.where(PeerValueRow.indicator == indicator)
        return [
            PeerValue(r.peer_id, r.indicator, r.year, r.value, r.source)
            for r in self._session.execute(query).scalars()
        ]

    def add_group(self, group: PeerGroup) -> int:
        row = PeerGroupRow(
            name_zh=group.name_zh, name_en=group.name_en, peer_ids=list(group.peer_ids)
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def groups(self) -> list[PeerGroup]:
        rows = self._session.execute(select(PeerGroupRow).order_by(PeerGroupRow.id)).scalars()
        return [PeerGroup(r.id, r.name_zh, r.name_en, tuple(r.peer_ids)) for r in rows]

    def add_practice(self, practice: Practice) -> int:
        p = practice
        row = PracticeRow(
            title_zh=p.title_zh,
            title_en=p.title_en,
            text=p.text,
            source=p.source,
            peer_id=p.peer_id,
            indicators=list(p.indicators),
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def practices(self) -> list[Practice]:
        rows = self._session.execute(select(PracticeRow).order_by(PracticeRow.id)).scalars()
        return [
            Practice(r.id, r.title_zh, r.title_en, r.text, r.source, r.peer_id, tuple(r.indicators))
            for r in rows
        ]
