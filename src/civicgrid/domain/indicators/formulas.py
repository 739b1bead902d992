"""The indicators over a `FactTable`, with numpy: the fast path for large fact sets.

It follows `naive.py` formula by formula (docs/indicators.md gives them); the property
tests hold the two to the same answers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from civicgrid.domain.cases.stages import Outcome, Source
from civicgrid.domain.indicators.case_facts import CLOSING_OUTCOMES, EXCLUDED_OUTCOMES
from civicgrid.domain.indicators.results import Counts, Indicators
from civicgrid.domain.indicators.selection import ALL_CASES, CaseSelection, Period, PeriodBasis
from civicgrid.domain.indicators.table import OUTCOMES, Bools, FactTable, Floats


class _Window:
    """Masks for "counted in the period" and "due in the period", for one basis."""

    def __init__(self, table: FactTable, period: Period, basis: PeriodBasis, keep: Bools) -> None:
        self.start, self.end = period.bounds()
        self.now = table.as_of.timestamp()
        self.cohort = basis is PeriodBasis.REPORTED
        if self.cohort:
            reported = table.reported_at
            keep = keep & (reported >= self.start) & (reported < self.end)
        self.keep = keep

    def counts(self, at: Floats) -> Bools:
        if self.cohort:
            return self.keep & ~np.isnan(at)
        return self.keep & (at >= self.start) & (at < self.end)

    def due(self, done_at: Floats, settled_at: Floats, deadline: Floats) -> Bools:
        unsettled = np.isnan(settled_at)
        if self.cohort:
            return self.keep & (~np.isnan(done_at) | (unsettled & (deadline <= self.now)))
        open_at_end = unsettled | (settled_at >= self.end)
        falls_due = (deadline >= self.start) & (deadline < self.end) & (deadline <= self.now)
        return self.counts(done_at) | (self.keep & open_at_end & falls_due)


def compute_indicators(
    table: FactTable,
    period: Period,
    *,
    selection: CaseSelection = ALL_CASES,
    basis: PeriodBasis = PeriodBasis.EVENT,
    enterprise_categories: Sequence[str] = (),
) -> Indicators:
    """The indicators of the selected rows of `table` for `period`, as of `table.as_of`."""
    prefixes = tuple(enterprise_categories)
    window = _Window(table, period, basis, table.select(selection, prefixes))
    outcome = table.outcome.codes

    def outcome_is(*wanted: Outcome) -> Bools:
        return np.isin(outcome, [OUTCOMES.index(o) for o in wanted])

    closing = outcome_is(*CLOSING_OUTCOMES)
    counted = ~np.isnan(table.filed_at) & ~outcome_is(*EXCLUDED_OUTCOMES)
    closed_at = np.where(closing, table.closed_at, np.nan)
    handled_at = np.where(table.handling_done, table.last_handled_at, np.nan)
    # Closing without handling (an alert cleared) settles what handling was due.
    settled = np.where(np.isnan(handled_at), closed_at, handled_at)
    public = table.source.where(lambda value: Source(value).is_public)
    filed = counted & window.counts(table.filed_at)
    closed = counted & window.counts(closed_at)
    handled = counted & window.counts(handled_at)
    finished = window.counts(table.closed_at)
    rated = counted & window.counts(table.rated_at) & ~np.isnan(table.rating)
    hours = table.handling_hours[handled]
    hours = hours[~np.isnan(hours)]
    ratings = table.rating[rated]
    reported = window.keep if window.cohort else window.counts(table.reported_at)
    dispatched = ~np.isnan(table.dispatched_at)

    def n(mask: Bools) -> int:
        return int(np.count_nonzero(mask))

    counts = Counts(
        reported=n(reported),
        filed=n(filed),
        closed=n(closed),
        closed_on_time=n(closed & table.closed_on_time),
        due_to_close=n(counted & window.due(closed_at, closed_at, table.close_deadline)),
        handled=n(handled),
        handled_on_time=n(handled & table.handled_on_time),
        due_to_handle=n(
            counted & dispatched & window.due(handled_at, settled, table.handle_deadline)
        ),
        reworked=n(handled & (table.rework_count > 0)),
        rework_events=int(table.rework_count[handled].sum()),
        public_reports_verified=n(filed & public & table.checked),
        inspector_reports_filed=n(filed & table.source.where(lambda v: v == Source.GRID_WORKER)),
        fixed=n(closed & outcome_is(Outcome.FIXED)),
        closed_not_fixed=n(closed & outcome_is(Outcome.CLOSED_NOT_FIXED)),
        resolved_by_sensor=n(closed & outcome_is(Outcome.RESOLVED_BY_SENSOR)),
        duplicates=n(finished & outcome_is(Outcome.DUPLICATE)),
        voided=n(finished & outcome_is(Outcome.VOID)),
        enterprise_requests=n(reported & table.enterprise(prefixes)),
    )
    return Indicators.from_counts(
        counts,
        hours_median=float(np.median(hours)) if hours.size else None,
        hours_mean=float(hours.mean()) if hours.size else None,
        ratings=int(ratings.size),
        rating_mean=float(ratings.mean()) if ratings.size else None,
        satisfied=n(ratings >= 4),
    )
