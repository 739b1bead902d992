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
    tallies = {}
    for name, (first, second) in tally_args.items():
        by_path = _by_path(paths, first, n_paths, n_periods)
        if second is not None:
            by_path += _by_path(paths, second, n_paths, n_periods)
        tallies[name] = _into_units(by_path, ancestors, len(units))
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
        parts = path.split("/")
        for d in range(1, len(parts) - 1):
            unit = index.get("/".join(parts[: d + 1]) + "/")
            if unit is not None:
                found[d - 1, j] = unit
    return found


def _by_path(paths: Ints, period: Ints, n_paths: int, n_periods: int) -> Floats:
    keep = period >= 0
    flat = np.bincount(paths[keep] * n_periods + period[keep], minlength=n_paths * n_periods)
    return flat.reshape(n_paths, n_periods).astype(np.float64)


def _into_units(by_path: Floats, ancestors: Ints, n_units: int) -> Floats:
    out = np.zeros((n_units, by_path.shape[1]))
    for row in ancestors:
        keep = row >= 0
        np.add.at(out, row[keep], by_path[keep])
    return out


def _medians(
    paths: Ints, period: Ints, hours: Floats, ancestors: Ints, n_units: int, n_periods: int
) -> Floats:
    out = np.full((n_units, n_periods), np.nan)
    for row in ancestors:
        unit = row[paths]
        keep = unit >= 0
        key = unit[keep] * n_periods + period[keep]
        order = np.lexsort((hours[keep], key))
        key, sorted_hours = key[order], hours[keep][order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if key.size else key
        ends = np.r_[starts[1:], key.size] if key.size else key
        lo, hi = starts + (ends - starts - 1) // 2, starts + (ends - starts) // 2
        medians = (sorted_hours[lo] + sorted_hours[hi]) / 2
        out.reshape(-1)[key[starts]] = medians
    return out
