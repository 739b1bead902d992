"""三标 schemas: peers, their values, peer groups and practices learned."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from civicgrid.api.schemas.sanbiao import Code, Name, Number, Strict
from civicgrid.domain.sanbiao.peers import Peer, PeerGroup, PeerKind, PeerValue, Practice

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Source = Annotated[str, Field(min_length=1, max_length=300, pattern=r"^[^\x00-\x1f\x7f]*$")]


class PeerCreate(Strict):
    name_zh: Name
    name_en: Name
    kind: PeerKind
    city_zh: Name
    city_en: Name

    def to_domain(self) -> Peer:
        return Peer(0, self.name_zh, self.name_en, self.kind, self.city_zh, self.city_en)


class PeerPublic(BaseModel):
    id: int
    name_zh: str
    name_en: str
    kind: PeerKind
    city_zh: str
    city_en: str

    @classmethod
    def of(cls, p: Peer) -> PeerPublic:
        return cls(
            id=p.id,
            name_zh=p.name_zh,
            name_en=p.name_en,
            kind=p.kind,
            city_zh=p.city_zh,
            city_en=p.city_en,
        )


class PeerValueCreate(Strict):
    indicator: Code
    year: Annotated[int, Field(ge=1900, le=2200)]
    value: Number
    source: Source


class PeerValuePublic(BaseModel):
    peer_id: int
    indicator: str
    year: int
    value: float
    source: str

    @classmethod
    def of(cls, v: PeerValue) -> PeerValuePublic:
        return cls(
            peer_id=v.peer_id, indicator=v.indicator, year=v.year, value=v.value, source=v.source
        )


class GroupCreate(Strict):
    name_zh: Name
    name_en: Name
    peer_ids: list[Id] = Field(max_length=200)


class GroupPublic(BaseModel):
    id: int
    name_zh: str
    name_en: str
    peer_ids: list[int]

    @classmethod
    def of(cls, g: PeerGroup) -> GroupPublic:
        return cls(id=g.id, name_zh=g.name_zh, name_en=g.name_en, peer_ids=list(g.peer_ids))


class PracticeCreate(Strict):
    title_zh: Name
    title_en: Name
    text: Annotated[str, Field(max_length=5000, pattern=r"^[^\x00]*$")]
    source: Source
    peer_id: Id | None = None
    indicators: list[Code] = Field(default_factory=list, max_length=50)


class PracticePublic(PracticeCreate):
    id: int

    @classmethod
    def of(cls, p: Practice) -> PracticePublic:
        return cls(
            id=p.id,
            title_zh=p.title_zh,
            title_en=p.title_en,
            text=p.text,
            source=p.source,
            peer_id=p.peer_id,
            indicators=list(p.indicators),
        )


class Benchmarks(BaseModel):
    peers: list[PeerPublic]
    values: list[PeerValuePublic]
    groups: list[GroupPublic]
    practices: list[PracticePublic]
