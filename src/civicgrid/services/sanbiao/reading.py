"""Reading any indicator's value for an area and period, whatever kind it is.

Reported values roll up the hierarchy as the catalogue says; computed ones come from
their calculator. Answers are kept for the life of the reader (one use case).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from civicgrid.domain.areas import Area
from civicgrid.domain.sanbiao.aggregate import common_root, roll_up
from civicgrid.domain.sanbiao.catalogue import Aggregation, IndicatorDef, Kind, Periodicity
from civicgrid.domain.sanbiao.forecast import Point
from civicgrid.domain.sanbiao.periods import PeriodKey, containing
from civicgrid.services.sanbiao.computers import compute_values
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork

COMPUTED_SERIES_LENGTH = {Periodicity.MONTH: 12, Periodicity.QUARTER: 8, Periodicity.YEAR: 6}


class ValueReader:
    def __init__(
        self, uow: SanbiaoUnitOfWork, catalogue: dict[str, IndicatorDef], context: Context
    ) -> None:
        self.uow, self.catalogue, self.context = uow, catalogue, context
        self._reported: dict[tuple[str, str], dict[str, dict[str, float]]] = {}

    def values(
        self, indicator: IndicatorDef, areas: Sequence[Area], period: PeriodKey
    ) -> dict[str, float]:
        """Value by area code, for those areas that have one."""
        if indicator.kind is Kind.COMPUTED:
            return compute_values(self.uow, areas, indicator, period, self.context)
        if len(areas) > 1:  # one query for all of them, e.g. siblings
            self._by_period(indicator, common_root(a.path for a in areas))
        found = {}
        for area in areas:
            value = self._rolled(indicator, area, period.key)
            if value is not None:
                found[area.code] = value
        return found

    def value(self, indicator: IndicatorDef, area: Area, period: PeriodKey) -> float | None:
        return self.values(indicator, [area], period).get(area.code)

    def series(
        self, indicator: IndicatorDef, area: Area, *, so_far: bool = True
    ) -> list[tuple[PeriodKey, float]]:
        """The values of `area`, oldest first: every reported period, or the computed
        indicator's last few periods before today. A computed count or amount also gets
        the current period so far: a sum only grows within its period, so a threshold it
        has met stays met."""
        if indicator.kind is Kind.COMPUTED:
            periods = self.recent_periods(indicator.periodicity)
            if so_far and indicator.aggregation is Aggregation.SUM:
                periods.append(containing(self.context.today, indicator.periodicity))
        else:
            keys = self._by_period(indicator, area.path).keys()
            periods = sorted(PeriodKey.parse(k) for k in keys)
            periods = [p for p in periods if p.periodicity is indicator.periodicity]
        found = []
        for p in periods:
            value = self.value(indicator, area, p)
            if value is not None:
                found.append((p, value))
        return found

    def points(self, indicator: IndicatorDef, area: Area, *, so_far: bool = True) -> list[Point]:
        """The series as dated points: each on the last day its period covers; a computed
        sum's current period so far is dated today."""
        today = self.context.today
        so_far = indicator.kind is Kind.COMPUTED and indicator.aggregation is Aggregation.SUM
        return [
            Point(today if so_far and p.start <= today < p.end else p.end - timedelta(days=1), v)
            for p, v in self.series(indicator, area, so_far=so_far)
        ]

    def recent_periods(self, periodicity: Periodicity) -> list[PeriodKey]:
        """The last full periods before today, oldest first."""
        current = containing(self.context.today, periodicity)
        periods = [current.previous()]
        while len(periods) < COMPUTED_SERIES_LENGTH[periodicity]:
            periods.insert(0, periods[0].previous())
        return periods

    def latest_period(self, indicator: IndicatorDef, area: Area) -> PeriodKey | None:
        if indicator.kind is Kind.COMPUTED:
            return self.recent_periods(indicator.periodicity)[-1]
        series = self.series(indicator, area, so_far=False)
        return series[-1][0] if series else None

    def _rolled(self, indicator: IndicatorDef, area: Area, period: str) -> float | None:
        values = self._by_period(indicator, area.path).get(period, {})
        weights = None
        if indicator.aggregation is Aggregation.WEIGHTED_MEAN and indicator.weight:
            weight = self.catalogue[indicator.weight]
            weights = self._by_period(weight, area.path).get(period, {})
        return roll_up(area.path, values, indicator.aggregation, weights)

    def _by_period(self, indicator: IndicatorDef, root: str) -> dict[str, dict[str, float]]:
        """period → area path → current value, for (at least) the subtree at `root`."""
        for (code, loaded), held in self._reported.items():
            if code == indicator.code and root.startswith(loaded):
                return held  # a subtree already read holds this one
        table: dict[str, dict[str, float]] = {}
        for path, version in self.uow.sanbiao.current_values(indicator.code, root):
            table.setdefault(version.period, {})[path] = version.value
        self._reported[(indicator.code, root)] = table
        return table
