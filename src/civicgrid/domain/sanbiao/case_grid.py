"""Every case indicator for every unit and every period at once, from one FactTable.

`compute_indicators` answers one (selection, period) at a time; asking it 55,000 units
× 12 months would take hours. Here each count is tallied once per (fact path, period)
with one bincount, then added into every ancestor unit; medians sort once per level.
Event basis only, formula for formula as `domain/indicators/formulas.py` (the tests
hold the two to the same answers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from civicgrid.domain.areas.area import AreaPath
from civicgrid.domain.indicators import CLOSING_OUTCOMES, EXCLUDED_OUTCOMES, FactTable, Period
from civicgrid.domain.indicators.table import OUTCOMES

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

COUNTS = ("cases.filed", "cases.due_to_close", "cases.handled", "cases.ratings")
RATES = {  # rate: (numerator tally, denominator indicator), as a percentage
    "cases.on_time_close_rate": ("closed_on_time", "cases.due_to_close"),
    "cases.rework_rate": ("reworked", "cases.handled"),
    "cases.satisfaction": ("satisfied", "cases.ratings"),
}
MEDIAN = "cases.handling_hours_median"
CODES = (*COUNTS, *RATES, MEDIAN)


@dataclass(frozen=True, slots=True)
class CaseGrid:
    units: tuple[AreaPath, ...]
    periods: tuple[Period, ...]
    values: dict[str, Floats]  # indicator code → [unit, period]; NaN where undefined

    def value(self, indicator: str, unit: AreaPath, period_index: int) -> float | None:
        v = float(self.values[indicator][self.units.index(unit), period_index])
        return None if np.isnan(v) else v


def compute_case_grid(
    table: FactTable, units: Sequence[AreaPath], periods: Sequence[Period]
) -> CaseGrid:
    """The case indicators of each unit's subtree for each period, as of `table.as_of`."""
    units = tuple(units)
    ancestors = _ancestor_units(table.area_path.values, units)
    edges = np.array([p.bounds()[0] for p in periods] + [periods[-1].bounds()[1]])
    n_periods = len(periods)

    def raw_period(at: Floats) -> Ints:
        """-1 before the first period, n_periods after the last or never (NaN sorts last)."""
        return (np.searchsorted(edges, at, side="right") - 1).astype(np.int64)

    def period_of(at: Floats) -> Ints:
        index = raw_period(at)
        index[index >= n_periods] = -1
        return index

    outcome = table.outcome.codes
    closing = np.isin(outcome, [OUTCOMES.index(o) for o in CLOSING_OUTCOMES])
    excluded = np.isin(outcome, [OUTCOMES.index(o) for o in EXCLUDED_OUTCOMES])
    counted = ~np.isnan(table.filed_at) & ~excluded
    closed_raw = raw_period(np.where(closing, table.closed_at, np.nan))
    closed_p = np.where(counted & (closed_raw < n_periods), closed_raw, -1)
    handled_p = np.where(
        counted, period_of(np.where(table.handling_done, table.last_handled_at, np.nan)), -1
    )
    rated = counted & ~np.isnan(table.rating)
    rated_p = np.where(rated, period_of(table.rated_at), -1)
    deadline = np.where(
        table.close_deadline <= table.as_of.timestamp(), table.close_deadline, np.nan
    )
    due_p = np.where(counted, period_of(deadline), -1)
    # Due but still open when the deadline's period ended: closed in a later one, or never.
    overdue = (due_p >= 0) & (closed_raw > due_p)

    paths = table.area_path.codes.astype(np.int64)
    tally_args = {
        "cases.filed": (np.where(counted, period_of(table.filed_at), -1), None),
        "cases.due_to_close": (closed_p, np.where(overdue, due_p, -1)),
        "cases.handled": (handled_p, None),
        "cases.ratings": (rated_p, None),
        "closed_on_time": (np.where(table.closed_on_time, closed_p, -1), None),
        "reworked": (np.where(table.rework_count > 0, handled_p, -1), None),
        "satisfied": (np.where(table.rating >= 4, rated_p, -1), None),
    }
    n_paths = len(table.area_path.values)
    stacked = []
    for first, second in tally_args.values():
        by_path = _by_path(paths, first, n_paths, n_periods)
        if second is not None:
            by_path += _by_path(paths, second, n_paths, n_periods)
        stacked.append(by_path)
    summed = _into_units(np.hstack(stacked), ancestors, units)
    tallies = {
        name: summed[:, i * n_periods : (i + 1) * n_periods] for i, name in enumerate(tally_args)
    }
    values: dict[str, Floats] = {code: tallies[code] for code in COUNTS}
    with np.errstate(invalid="ignore", divide="ignore"):
        for code, (numerator, denominator) in RATES.items():
            d = tallies[denominator]
            values[code] = np.where(d > 0, 100 * tallies[numerator] / d, np.nan)
    hours = table.handling_hours
    has_hours = (handled_p >= 0) & ~np.isnan(hours)
    values[MEDIAN] = _medians(
        paths[has_hours], handled_p[has_hours], hours[has_hours], ancestors, len(units), n_periods
    )
    return CaseGrid(units, tuple(periods), values)


def _ancestor_units(paths: Sequence[str], units: tuple[AreaPath, ...]) -> Ints:
    """[depth, fact path] → the index of the unit at that depth above it, or -1."""
    index = {unit: i for i, unit in enumerate(units)}
    depth = max((p.count("/") - 1 for p in paths), default=0)
    found = np.full((max(depth, 1), len(paths)), -1, dtype=np.int64)
    for j, path in enumerate(paths):
        d, cut = 0, path.find("/", 1)
        while cut != -1:  # each prefix "/a/", "/a/b/", … up to the path itself
            unit = index.get(path[: cut + 1])
            if unit is not None:
                found[d, j] = unit
            d, cut = d + 1, path.find("/", cut + 1)
    return found


def _by_path(paths: Ints, period: Ints, n_paths: int, n_periods: int) -> Floats:
    keep = period >= 0
    flat = np.bincount(paths[keep] * n_periods + period[keep], minlength=n_paths * n_periods)
    return flat.reshape(n_paths, n_periods).astype(np.float64)


def _into_units(by_path: Floats, ancestors: Ints, units: tuple[AreaPath, ...]) -> Floats:
    """Each unit's subtree total: facts go to their deepest unit, then every unit's total
    is added into its nearest ancestor unit, the deepest level first."""
    filled = ancestors >= 0
    deepest = np.where(filled.any(axis=0), ancestors.shape[0] - 1 - np.argmax(filled[::-1], 0), 0)
    own = ancestors[deepest, np.arange(ancestors.shape[1])]
    out = np.zeros((len(units), by_path.shape[1]))
    keep = own >= 0
    targets = own[keep]
    if np.unique(targets).size == targets.size:  # usually: each fact path is a unit
        out[targets] = by_path[keep]
    else:  # paths below the deepest unit share it
        np.add.at(out, targets, by_path[keep])
    for children, parents, starts in _levels(units):
        out[parents] += np.add.reduceat(out[children], starts, axis=0)
    return out


def _levels(units: tuple[AreaPath, ...]) -> list[tuple[Ints, Ints, Ints]]:
    """Per depth, the deepest first: units grouped by their nearest ancestor unit, as
    (units in group order, each group's ancestor, each group's first position)."""
    index = {unit: i for i, unit in enumerate(units)}
    by_depth: dict[int, list[tuple[int, int]]] = {}
    for i, unit in enumerate(units):
        cut = unit.rfind("/", 0, len(unit) - 1)
        while cut > 0:
            parent = index.get(unit[: cut + 1])
            if parent is not None:
                by_depth.setdefault(unit.count("/"), []).append((parent, i))
                break
            cut = unit.rfind("/", 0, cut)
    levels = []
    for _, pairs in sorted(by_depth.items(), reverse=True):
        pairs.sort()
        parents = np.array([p for p, _ in pairs], dtype=np.int64)
        starts = np.flatnonzero(np.r_[True, parents[1:] != parents[:-1]])
        levels.append((np.array([c for _, c in pairs], dtype=np.int64), parents[starts], starts))
    return levels


def _medians(
    paths: Ints, period: Ints, hours: Floats, ancestors: Ints, n_units: int, n_periods: int
) -> Floats:
    """Median hours per (unit, period): one sort of the hours, then per level one sort
    of (group, rank) packed into a single integer."""
    out = np.full((n_units, n_periods), np.nan)
    n = hours.size
    if n == 0:
        return out
    order = np.argsort(hours, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    by_rank = hours[order]
    for row in ancestors:
        unit = row[paths]
        keep = unit >= 0
        packed = np.sort((unit[keep] * n_periods + period[keep]) * n + rank[keep])
        if not packed.size:
            continue
        key, sorted_hours = packed // n, by_rank[packed % n]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        ends = np.r_[starts[1:], key.size]
        lo, hi = starts + (ends - starts - 1) // 2, starts + (ends - starts) // 2
        out.reshape(-1)[key[starts]] = (sorted_hours[lo] + sorted_hours[hi]) / 2
    return out
