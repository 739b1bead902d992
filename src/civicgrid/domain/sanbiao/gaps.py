"""Gap analysis: where an area stands against its standard, the best benchmark and its
siblings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from civicgrid.domain.sanbiao.catalogue import Direction
from civicgrid.domain.sanbiao.theil_sen import Trend


@dataclass(frozen=True, slots=True)
class Gap:
    absolute: float  # how far the value must still move, in the indicator's unit; ≤ 0 when met
    relative: float | None  # as a share of the reference; None when the reference is 0


@dataclass(frozen=True, slots=True)
class Rank:
    rank: int  # 1 is best
    of: int


def gap_to(value: float, reference: float, direction: Direction) -> Gap:
    """Positive while the value falls short of the reference."""
    short = reference - value if direction is Direction.HIGHER else value - reference
    return Gap(short, short / abs(reference) if reference else None)


def rank_of(code: str, values: Mapping[str, float], direction: Direction) -> Rank | None:
    """Competition ranking ("1224"): equal values share the better rank."""
    if code not in values:
        return None
    mine = values[code]
    better = sum(1 for v in values.values() if direction.better(v, mine))
    return Rank(better + 1, len(values))


def ranks(values: Mapping[str, float], direction: Direction) -> dict[str, Rank]:
    return {code: r for code in values if (r := rank_of(code, values, direction)) is not None}


def trend_word(trend: Trend | None, direction: Direction) -> str:
    """improving / worsening / flat: flat when the slope's interval holds zero."""
    if trend is None:
        return "unknown"
    if trend.slope_low <= 0 <= trend.slope_high or trend.slope == 0:
        return "flat"
    rising = trend.slope > 0
    return "improving" if rising == (direction is Direction.HIGHER) else "worsening"
