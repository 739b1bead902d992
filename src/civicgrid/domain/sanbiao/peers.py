"""Benchmarks (找标杆): peers outside our hierarchy, their values, groups and practices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.sanbiao.catalogue import Direction


class PeerKind(StrEnum):
    DISTRICT = "district"
    COMMUNITY = "community"
    PARK = "park"  # a development zone, e.g. 苏州工业园区


@dataclass(frozen=True, slots=True)
class Peer:
    id: int
    name_zh: str
    name_en: str
    kind: PeerKind
    city_zh: str
    city_en: str


@dataclass(frozen=True, slots=True)
class PeerValue:
    peer_id: int
    indicator: str
    year: int
    value: float
    source: str


@dataclass(frozen=True, slots=True)
class PeerGroup:
    id: int
    name_zh: str
    name_en: str
    peer_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Practice:
    """A practice learned from a peer, e.g. 成都麓湖社区's community governance model."""

    id: int
    title_zh: str
    title_en: str
    text: str
    source: str
    peer_id: int | None
    indicators: tuple[str, ...]  # the indicators it should move


def check_names(name_zh: str, name_en: str, what: str) -> None:
    if not name_zh.strip() or not name_en.strip():
        raise InvalidInput(f"a {what} needs a name in zh-CN and in en", field="name_zh")


def latest_values(values: Sequence[PeerValue], year: int | None = None) -> dict[int, PeerValue]:
    """Each peer's value for `year`, or its most recent one when `year` is None."""
    chosen: dict[int, PeerValue] = {}
    for v in values:
        if year is not None and v.year != year:
            continue
        current = chosen.get(v.peer_id)
        if current is None or v.year > current.year:
            chosen[v.peer_id] = v
    return chosen


def best_of(values: Sequence[PeerValue], direction: Direction) -> PeerValue | None:
    best: PeerValue | None = None
    for v in values:
        if best is None or direction.better(v.value, best.value):
            best = v
    return best
