"""找标杆: peers outside our hierarchy, their values, peer groups and practices learned."""

from __future__ import annotations

from dataclasses import replace

from civicgrid.domain.access import Principal
from civicgrid.domain.errors import Conflict, InvalidInput, NotFound
from civicgrid.domain.sanbiao.peers import Peer, PeerGroup, PeerValue, Practice, check_names
from civicgrid.domain.sanbiao.values import check_value
from civicgrid.services.sanbiao.catalogue import indicator_in, load_catalogue
from civicgrid.services.sanbiao.context import require_admin
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork

WHAT = "benchmarks"


def add_peer(uow: SanbiaoUnitOfWork, principal: Principal, peer: Peer) -> Peer:
    require_admin(principal, WHAT)
    check_names(peer.name_zh, peer.name_en, "peer")
    with uow:
        if any(p.name_zh == peer.name_zh for p in uow.sanbiao.peers()):
            raise Conflict(f"peer {peer.name_zh} exists already", field="name_zh")
        peer_id = uow.sanbiao.add_peer(peer)
        uow.commit()
    return replace(peer, id=peer_id)


def set_peer_value(uow: SanbiaoUnitOfWork, principal: Principal, value: PeerValue) -> PeerValue:
    """A peer's value for a year, with its source; a second one for that year replaces it."""
    require_admin(principal, WHAT)
    check_value(value.value)
    if not value.source.strip():
        raise InvalidInput("say where the peer's value comes from", field="source")
    with uow:
        indicator_in(load_catalogue(uow), value.indicator)
        _peer(uow, value.peer_id)
        uow.sanbiao.set_peer_value(value)
        uow.commit()
    return value


def add_group(uow: SanbiaoUnitOfWork, principal: Principal, group: PeerGroup) -> PeerGroup:
    require_admin(principal, WHAT)
    check_names(group.name_zh, group.name_en, "peer group")
    with uow:
        if any(g.name_zh == group.name_zh for g in uow.sanbiao.groups()):
            raise Conflict(f"peer group {group.name_zh} exists already", field="name_zh")
        for peer_id in group.peer_ids:
            _peer(uow, peer_id)
        group_id = uow.sanbiao.add_group(group)
        uow.commit()
    return replace(group, id=group_id)


def add_practice(uow: SanbiaoUnitOfWork, principal: Principal, practice: Practice) -> Practice:
    require_admin(principal, WHAT)
    check_names(practice.title_zh, practice.title_en, "practice")
    with uow:
        catalogue = load_catalogue(uow)
        for code in practice.indicators:
            indicator_in(catalogue, code)
        if practice.peer_id is not None:
            _peer(uow, practice.peer_id)
        practice_id = uow.sanbiao.add_practice(practice)
        uow.commit()
    return replace(practice, id=practice_id)


def list_benchmarks(
    uow: SanbiaoUnitOfWork, indicator: str | None = None
) -> tuple[list[Peer], list[PeerValue], list[PeerGroup], list[Practice]]:
    """Peers are public reference data: anyone signed in may read them."""
    with uow:
        if indicator is not None:
            indicator_in(load_catalogue(uow), indicator)
        return (
            uow.sanbiao.peers(),
            uow.sanbiao.peer_values(indicator),
            uow.sanbiao.groups(),
            uow.sanbiao.practices(),
        )


def _peer(uow: SanbiaoUnitOfWork, peer_id: int) -> Peer:
    found = {p.id: p for p in uow.sanbiao.peers()}.get(peer_id)
    if found is None:
        raise NotFound(f"no peer {peer_id}", field="peer_id")
    return found
