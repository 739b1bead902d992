"""Standards (提标准): a target for (area, indicator, period), and how it was derived."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.sanbiao.catalogue import Direction
from civicgrid.domain.sanbiao.peers import PeerValue, best_of


class Rule(StrEnum):
    MANUAL = "manual"
    BEST_PEER = "best_peer"
    PEER_MEDIAN = "peer_median"
    PEER_FACTOR = "peer_factor"
    TOP_SIBLINGS = "top_siblings"
    IMPROVE = "improve"
    CASCADE = "cascade"  # a share of the parent area's standard


@dataclass(frozen=True, slots=True)
class Derived:
    target: float
    derivation: str  # shown with the standard, e.g. "= 成都高新区 2022 value × 1.05"


@dataclass(frozen=True, slots=True)
class Standard:
    id: int
    area_code: str
    indicator: str
    period: str
    target: float
    rule: Rule
    derivation: str
    parent_id: int | None = None  # the standard this one was cascaded from
    set_by: str = ""


def by_hand(target: float, who: str) -> Derived:
    _finite(target)
    return Derived(target, f"= {_num(target)} (set by hand by {who})")


def reach_best_peer(
    values: Sequence[PeerValue], names: Mapping[int, str], direction: Direction
) -> Derived:
    best = best_of(_needed(values), direction)
    if best is None:  # unreachable: _needed refused an empty list
        raise InvalidInput("no peer has a value for this indicator", field="indicator")
    return Derived(best.value, f"= {names[best.peer_id]} {best.year} value (best of {len(values)})")


def reach_peer_median(values: Sequence[PeerValue], names: Mapping[int, str]) -> Derived:
    median = statistics.median(v.value for v in _needed(values))
    who = ", ".join(f"{names[v.peer_id]} {v.year}" for v in values)
    return Derived(median, f"= median of {len(values)} peers ({who})")


def scale_peer(value: PeerValue, name: str, factor: float) -> Derived:
    _finite(factor)
    if factor <= 0:
        raise InvalidInput("the factor must be positive", field="factor")
    return Derived(value.value * factor, f"= {name} {value.year} value × {_num(factor)}")


def top_of_siblings(
    values: Mapping[str, float],
    names: Mapping[str, str],
    share: float,
    direction: Direction,
    period: str,
) -> Derived:
    """The value that puts an area in the best `share` (0-1] of its siblings."""
    if not 0 < share <= 1:
        raise InvalidInput("the share of siblings must be in (0, 100] %", field="top_percent")
    if not values:
        raise InvalidInput(f"no sibling has a value for {period}", field="period")
    ordered = sorted(values.items(), key=lambda kv: kv[1], reverse=direction is Direction.HIGHER)
    rank = max(1, math.ceil(share * len(ordered)))
    code, value = ordered[rank - 1]
    return Derived(
        value,
        f"= top {_num(share * 100)}% of {len(ordered)} siblings ({period}): "
        f"{names.get(code, code)}'s value, rank {rank}",
    )


def improve_yearly(
    baseline: float, baseline_period: str, rate: float, years: float, direction: Direction
) -> Derived:
    _finite(rate)
    if not 0 < rate < 1:
        raise InvalidInput("the yearly improvement must be between 0 and 100 %", field="rate")
    factor = 1 + rate if direction is Direction.HIGHER else 1 - rate
    target = baseline * factor**years
    return Derived(
        target, f"= {baseline_period} value {_num(baseline)} × {_num(factor)}^{_num(years)}"
    )


def _needed(values: Sequence[PeerValue]) -> Sequence[PeerValue]:
    if not values:
        raise InvalidInput("no peer has a value for this indicator", field="indicator")
    return values


def _finite(x: float) -> None:
    if not math.isfinite(x):
        raise InvalidInput("numbers must be finite", field="target")


def _num(x: float) -> str:
    return f"{x:.6g}"
