"""The 三标 board of one area: indicator cards with the standard, the best benchmark and
the siblings' ranking; the milestones of the subtree; and the conversion report.

A computed indicator is shown for its current period so far (a case closed on time
today moves this month's rate at once), with its last full period beside it; a
reported one for its latest period with a value.
"""

from __future__ import annotations

from dataclasses import dataclass

from civicgrid.domain.access import Action, Principal, readable_scopes
from civicgrid.domain.areas import Area
from civicgrid.domain.areas.area import is_within, path_codes
from civicgrid.domain.errors import Forbidden
from civicgrid.domain.sanbiao.catalogue import IndicatorDef, Kind
from civicgrid.domain.sanbiao.gaps import Gap, Rank, gap_to, rank_of
from civicgrid.domain.sanbiao.peers import Peer, PeerValue, best_of, latest_values
from civicgrid.domain.sanbiao.periods import PeriodKey, containing
from civicgrid.domain.sanbiao.standards import Standard
from civicgrid.services.areas import access_area
from civicgrid.services.sanbiao.catalogue import load_catalogue
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.conversion import LessonReport, report_conversion
from civicgrid.services.sanbiao.milestones import AssessedMilestone, assess_within
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork
from civicgrid.services.sanbiao.reading import ValueReader

# Always on the board, with or without a value: the figure everyone asks about first.
HEADLINE = "cases.on_time_close_rate"


@dataclass(frozen=True, slots=True)
class Standing:
    """One sibling's value on a card's indicator and period."""

    area: Area
    value: float
    rank: Rank


@dataclass(frozen=True, slots=True)
class Card:
    indicator: IndicatorDef
    period: str | None
    so_far: bool  # the period is not over: its value can still move
    value: float | None
    previous_period: str | None  # a computed indicator's last full period
    previous_value: float | None
    standard: Standard | None
    to_standard: Gap | None
    benchmark: PeerValue | None
    benchmark_peer: Peer | None
    to_benchmark: Gap | None
    rank: Rank | None
    siblings: list[Standing]  # best first


@dataclass(frozen=True, slots=True)
class Board:
    area: Area
    parent: Area | None  # None when the parent lies outside the reader's jurisdiction
    children: list[Area]
    cards: list[Card]
    milestones: list[AssessedMilestone]
    catalogue: dict[str, IndicatorDef]


def home_area(principal: Principal) -> str:
    """The top area the person may read: where a board opens without `?area=`."""
    scopes = readable_scopes(principal)
    if not scopes:
        raise Forbidden(f"{principal.username} holds no grant and has no area to show")
    return path_codes(min(scopes, key=len))[-1]


def show_board(
    uow: SanbiaoUnitOfWork, principal: Principal, area_code: str, context: Context
) -> Board:
    """The board of `area_code`, which the person must be allowed to read."""
    with uow:
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
        parent = _readable_parent(uow, principal, area)
        siblings = uow.areas.children_of([area.parent_code]) if area.parent_code else [area]
        catalogue = load_catalogue(uow)
        reader = ValueReader(uow, catalogue, context)
        standards = [s for s in uow.sanbiao.standards(area.path) if s.area_code == area.code]
        peers = {p.id: p for p in uow.sanbiao.peers()}
        peer_values: dict[str, list[PeerValue]] = {}
        for v in uow.sanbiao.peer_values():
            peer_values.setdefault(v.indicator, []).append(v)
        ordered = sorted(catalogue.values(), key=lambda i: i.code != HEADLINE)
        cards = []
        for indicator in ordered:
            card = _card(
                reader,
                indicator,
                area,
                siblings,
                [s for s in standards if s.indicator == indicator.code],
                list(latest_values(peer_values.get(indicator.code, [])).values()),
                peers,
                context,
            )
            if card is not None:
                cards.append(card)
        milestones = sorted(assess_within(uow, area, context), key=lambda m: m.milestone.deadline)
        children = uow.areas.children_of([area.code])
    return Board(area, parent, children, cards, milestones, catalogue)


def show_conversion(
    uow: SanbiaoUnitOfWork, principal: Principal, area_code: str, context: Context
) -> list[LessonReport]:
    """The conversion report of the board's area (lessons → actions → milestones)."""
    return report_conversion(uow, principal, area_code, context)


def _card(
    reader: ValueReader,
    indicator: IndicatorDef,
    area: Area,
    siblings: list[Area],
    standards: list[Standard],
    peer_values: list[PeerValue],
    peers: dict[int, Peer],
    context: Context,
) -> Card | None:
    previous: PeriodKey | None = None
    if indicator.kind is Kind.COMPUTED:
        key: PeriodKey | None = containing(context.today, indicator.periodicity)
        previous = reader.recent_periods(indicator.periodicity)[-1]
    else:
        key = reader.latest_period(indicator, area)
    standard = _standard_for(standards, key)
    if key is None and standard is not None:
        key = PeriodKey.parse(standard.period)
    if key is None:
        return None
    by_sibling = reader.values(indicator, siblings, key)
    value = by_sibling.get(area.code)
    if value is None and area.code not in {s.code for s in siblings}:
        value = reader.value(indicator, area, key)
    if value is None and standard is None and indicator.code != HEADLINE:
        return None
    d = indicator.direction
    best = best_of(peer_values, d)
    standings = [
        Standing(s, by_sibling[s.code], r)
        for s in siblings
        if (r := rank_of(s.code, by_sibling, d)) is not None
    ]
    standings.sort(key=lambda s: (s.rank.rank, s.area.code))
    return Card(
        indicator=indicator,
        period=key.key,
        so_far=key.start <= context.today < key.end,
        value=value,
        previous_period=previous.key if previous else None,
        previous_value=reader.value(indicator, area, previous) if previous else None,
        standard=standard,
        to_standard=gap_to(value, standard.target, d) if value is not None and standard else None,
        benchmark=best,
        benchmark_peer=peers.get(best.peer_id) if best else None,
        to_benchmark=gap_to(value, best.value, d) if value is not None and best else None,
        rank=rank_of(area.code, by_sibling, d),
        siblings=standings,
    )


def _standard_for(standards: list[Standard], key: PeriodKey | None) -> Standard | None:
    """The standard for the period shown, else the one for the latest period."""
    exact = [s for s in standards if key is not None and s.period == key.key]
    if exact:
        return exact[0]
    if not standards:
        return None
    return max(standards, key=lambda s: PeriodKey.parse(s.period))


def _readable_parent(uow: SanbiaoUnitOfWork, principal: Principal, area: Area) -> Area | None:
    if area.parent_code is None:
        return None
    parent = uow.areas.get(area.parent_code, with_geometry=False)
    scopes = readable_scopes(principal)
    if parent is None or not any(is_within(parent.path, s) for s in scopes):
        return None
    return parent
