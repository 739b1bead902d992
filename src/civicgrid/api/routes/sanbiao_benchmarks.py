"""/api/v1/benchmarks: peers, their values, peer groups and practices learned (找标杆)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from civicgrid.api.deps import CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.routes.sanbiao_deps import UowDep
from civicgrid.api.routes.sanbiao_indicators import CodeQuery
from civicgrid.api.schemas.sanbiao_benchmarks import (
    Benchmarks,
    GroupCreate,
    GroupPublic,
    PeerCreate,
    PeerPublic,
    PeerValueCreate,
    PeerValuePublic,
    PracticeCreate,
    PracticePublic,
)
from civicgrid.domain.sanbiao.peers import PeerGroup, PeerValue, Practice
from civicgrid.services.sanbiao import benchmarks

router = APIRouter(prefix="/api/v1/benchmarks", tags=["三标"], responses=ERROR_RESPONSES)
PeerId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("", response_model=Benchmarks)
def get_benchmarks(
    uow: UowDep, _: CurrentPrincipal, indicator: CodeQuery | None = None
) -> Benchmarks:
    """Every peer, peer value (or one indicator's), peer group and practice."""
    peers, values, groups, practices = benchmarks.list_benchmarks(uow, indicator)
    return Benchmarks(
        peers=[PeerPublic.of(p) for p in peers],
        values=[PeerValuePublic.of(v) for v in values],
        groups=[GroupPublic.of(g) for g in groups],
        practices=[PracticePublic.of(p) for p in practices],
    )


@router.post("/peers", response_model=PeerPublic, status_code=status.HTTP_201_CREATED)
def post_peer(uow: UowDep, principal: CurrentPrincipal, body: PeerCreate) -> PeerPublic:
    """Add a peer outside our hierarchy, e.g. 苏州工业园区 (administrators)."""
    return PeerPublic.of(benchmarks.add_peer(uow, principal, body.to_domain()))


@router.put("/peers/{peer_id}/values", response_model=PeerValuePublic)
def put_peer_value(
    uow: UowDep, principal: CurrentPrincipal, peer_id: PeerId, body: PeerValueCreate
) -> PeerValuePublic:
    """Set a peer's value for one indicator and year, with its source."""
    value = PeerValue(peer_id, body.indicator, body.year, body.value, body.source)
    return PeerValuePublic.of(benchmarks.set_peer_value(uow, principal, value))


@router.post("/groups", response_model=GroupPublic, status_code=status.HTTP_201_CREATED)
def post_group(uow: UowDep, principal: CurrentPrincipal, body: GroupCreate) -> GroupPublic:
    """Group peers, e.g. "the three study-tour cities"."""
    group = PeerGroup(0, body.name_zh, body.name_en, tuple(dict.fromkeys(body.peer_ids)))
    return GroupPublic.of(benchmarks.add_group(uow, principal, group))


@router.post("/practices", response_model=PracticePublic, status_code=status.HTTP_201_CREATED)
def post_practice(uow: UowDep, principal: CurrentPrincipal, body: PracticeCreate) -> PracticePublic:
    """A practice learned from a peer, with its source and the indicators it should move."""
    practice = Practice(
        0,
        body.title_zh,
        body.title_en,
        body.text,
        body.source,
        body.peer_id,
        tuple(dict.fromkeys(body.indicators)),
    )
    return PracticePublic.of(benchmarks.add_practice(uow, principal, practice))
