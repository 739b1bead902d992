"""Gap analysis: each indicator of an area against its standard, the best benchmark and
its siblings; and a ranking of chosen areas with the change since the last period."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from civicgrid.domain.access import Action, Principal
from civicgrid.domain.areas import Area
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.sanbiao.catalogue import IndicatorDef
from civicgrid.domain.sanbiao.forecast import fit_points
from civicgrid.domain.sanbiao.gaps import Gap, Rank, gap_to, rank_of, ranks, trend_word
from civicgrid.domain.sanbiao.peers import PeerValue, best_of, latest_values
from civicgrid.domain.sanbiao.periods import PeriodKey
from civicgrid.domain.sanbiao.standards import Standard
from civicgrid.services.areas import access_area
from civicgrid.services.sanbiao.catalogue import indicator_in, load_catalogue
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork
from civicgrid.services.sanbiao.reading import ValueReader

MAX_RANKED = 100


@dataclass(frozen=True, slots=True)
class GapRow:
    indicator: IndicatorDef
    period: str | None
    value: float | None
    standard: Standard | None
    to_standard: Gap | None
    benchmark: PeerValue | None
    benchmark_name: str | None
    to_benchmark: Gap | None
    trend: str  # improving / worsening / flat / unknown
    slope_per_year: float | None
    rank: Rank | None  # among the area's siblings, 1 is best


@dataclass(frozen=True, slots=True)
class RankRow:
    area: Area
    value: float | None
    rank: Rank | None
    previous_value: float | None
    previous_rank: Rank | None

    @property
    def change(self) -> int | None:
        """Places gained since the previous period (positive is better)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank.rank - self.rank.rank


def analyse_gaps(
    uow: SanbiaoUnitOfWork,
    principal: Principal,
    area_code: str,
    context: Context,
    *,
    period: str | None = None,
    indicators: Sequence[str] = (),
) -> tuple[Area, list[GapRow]]:
    """One row per indicator that has a value or a standard for the area."""
    with uow:
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
        catalogue = load_catalogue(uow)
        chosen = [indicator_in(catalogue, code) for code in indicators] or list(catalogue.values())
        key = PeriodKey.parse(period) if period is not None else None
        reader = ValueReader(uow, catalogue, context)
        siblings = uow.areas.children_of([area.parent_code]) if area.parent_code else [area]
        standards = [s for s in uow.sanbiao.standards(area.path) if s.area_code == area.code]
        names = {p.id: p.name_zh for p in uow.sanbiao.peers()}
        peer_values: dict[str, list[PeerValue]] = {}
        for v in uow.sanbiao.peer_values():
            peer_values.setdefault(v.indicator, []).append(v)
        rows = []
        for indicator in chosen:
            peers = list(latest_values(peer_values.get(indicator.code, [])).values())
            row = _row(reader, indicator, area, siblings, standards, names, peers, key)
            if row is not None:
                rows.append(row)
    return area, rows


def rank_areas(
    uow: SanbiaoUnitOfWork,
    principal: Principal,
    area_codes: Sequence[str],
    indicator: str,
    period: str,
    context: Context,
) -> list[RankRow]:
    """The areas ranked on `indicator` for `period`, with their ranks one period earlier."""
    if not area_codes or len(area_codes) > MAX_RANKED:
        raise InvalidInput(f"rank between 1 and {MAX_RANKED} areas", field="areas")
    with uow:
        areas = [
            access_area(uow, principal, code, Action.READ, with_geometry=False)
            for code in dict.fromkeys(area_codes)
        ]
        catalogue = load_catalogue(uow)
        chosen = indicator_in(catalogue, indicator)
        reader = ValueReader(uow, catalogue, context)
        now_key = PeriodKey.parse(period)
        current = reader.values(chosen, areas, now_key)
        previous = reader.values(chosen, areas, now_key.previous())
    now_ranks, then_ranks = ranks(current, chosen.direction), ranks(previous, chosen.direction)
    rows = [
        RankRow(
            a,
            current.get(a.code),
            now_ranks.get(a.code),
            previous.get(a.code),
            then_ranks.get(a.code),
        )
        for a in areas
    ]
    return sorted(rows, key=lambda r: (r.rank is None, r.rank.rank if r.rank else 0, r.area.code))


def _row(
    reader: ValueReader,
    indicator: IndicatorDef,
    area: Area,
    siblings: list[Area],
    standards: list[Standard],
    names: dict[int, str],
    peers: list[PeerValue],
    period: PeriodKey | None,
) -> GapRow | None:
    key = period or reader.latest_period(indicator, area)
    standard = next(
        (
            s
            for s in standards
            if s.indicator == indicator.code and (key is None or s.period == key.key)
        ),
        None,
    )
    if key is None:
        if standard is None:
            return None
        key = PeriodKey.parse(standard.period)
    sibling_values = reader.values(indicator, siblings, key)
    value = sibling_values.get(area.code)
    if value is None:
        value = reader.value(indicator, area, key)
    if value is None and standard is None:
        return None
    best = best_of(peers, indicator.direction)
    trend = fit_points(reader.points(indicator, area, so_far=False))  # full periods only
    d = indicator.direction
    return GapRow(
        indicator=indicator,
        period=key.key,
        value=value,
        standard=standard,
        to_standard=gap_to(value, standard.target, d) if value is not None and standard else None,
        benchmark=best,
        benchmark_name=names.get(best.peer_id) if best else None,
        to_benchmark=gap_to(value, best.value, d) if value is not None and best else None,
        trend=trend_word(trend, d),
        slope_per_year=trend.slope if trend else None,
        rank=rank_of(area.code, sibling_values, d),
    )
