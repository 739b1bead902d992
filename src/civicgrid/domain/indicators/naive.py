"""The indicators by a plain loop over the facts: the reference the numpy version must match.

Slow but obvious; tests compare the two on hand-built logs and random fact sets, and
bench/indicators.py times them side by side.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from datetime import datetime

from civicgrid.domain.cases.stages import Outcome
from civicgrid.domain.indicators.case_facts import CaseFacts
from civicgrid.domain.indicators.results import Counts, Indicators
from civicgrid.domain.indicators.selection import (
    ALL_CASES,
    CaseSelection,
    Period,
    PeriodBasis,
    is_enterprise,
)


def compute_indicators_naive(
    facts: Iterable[CaseFacts],
    as_of: datetime,
    period: Period,
    *,
    selection: CaseSelection = ALL_CASES,
    basis: PeriodBasis = PeriodBasis.EVENT,
    enterprise_categories: Sequence[str] = (),
) -> Indicators:
    """The indicators of the selected facts (extracted as of `as_of`) for `period`."""
    start, end = period.bounds()
    now, cohort, prefixes = (
        as_of.timestamp(),
        basis is PeriodBasis.REPORTED,
        tuple(enterprise_categories),
    )
    n = Counts()
    hours: list[float] = []
    ratings: list[int] = []

    def counts(at: float | None) -> bool:
        """Whether an event at `at` is counted: in the period, or at all for a cohort."""
        return at is not None and (cohort or start <= at < end)

    def due(done_at: float | None, settled_at: float | None, deadline: float | None) -> bool:
        """Due in the period: done in it, or falling due in it and still unsettled at its end.

        A cohort's case is due once done, or once its deadline passed unsettled by as_of.
        """
        if cohort:
            return done_at is not None or (
                settled_at is None and deadline is not None and deadline <= now
            )
        if counts(done_at):
            return True
        open_at_end = settled_at is None or settled_at >= end
        return open_at_end and deadline is not None and start <= deadline < end and deadline <= now

    for f in facts:
        if not selection.matches(f, prefixes) or (cohort and not start <= f.reported_at < end):
            continue
        if counts(f.reported_at):
            n.reported += 1
            n.enterprise_requests += is_enterprise(f.source, f.category, prefixes)
        n.voided += f.voided and counts(f.closed_at)
        n.duplicates += f.duplicate and counts(f.closed_at)
        if not f.counted:
            continue
        if counts(f.filed_at):
            n.filed += 1
            n.public_reports_verified += f.public_report_verified
            n.inspector_reports_filed += f.inspector_report
        closed_at = f.closed_at if f.closed else None
        if counts(closed_at):
            n.closed += 1
            n.closed_on_time += f.closed_on_time
            n.fixed += f.outcome is Outcome.FIXED
            n.closed_not_fixed += f.outcome is Outcome.CLOSED_NOT_FIXED
            n.resolved_by_sensor += f.outcome is Outcome.RESOLVED_BY_SENSOR
        n.due_to_close += due(closed_at, closed_at, f.close_deadline)
        handled_at = f.last_handled_at if f.handling_done else None
        if counts(handled_at):
            n.handled += 1
            n.handled_on_time += f.handled_on_time
            n.reworked += f.rework_count > 0
            n.rework_events += f.rework_count
            if f.handling_hours is not None:
                hours.append(f.handling_hours)
        # Closing without handling (an alert cleared) settles what handling was due.
        settled_at = handled_at if handled_at is not None else closed_at
        n.due_to_handle += f.dispatched and due(handled_at, settled_at, f.handle_deadline)
        if f.rating is not None and counts(f.rated_at):
            ratings.append(f.rating)
    return Indicators.from_counts(
        n,
        hours_median=statistics.median(hours) if hours else None,
        hours_mean=math.fsum(hours) / len(hours) if hours else None,
        ratings=len(ratings),
        rating_mean=sum(ratings) / len(ratings) if ratings else None,
        satisfied=sum(r >= 4 for r in ratings),
    )
