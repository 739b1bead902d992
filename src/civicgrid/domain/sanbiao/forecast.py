"""When a series will cross a threshold, and how likely it is to by a deadline."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from civicgrid.domain.sanbiao.theil_sen import Trend, fit_theil_sen

MIN_POINTS = 3  # fewer cannot say anything about the scatter
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True, slots=True)
class Point:
    on: date  # the last day the value covers
    value: float


@dataclass(frozen=True, slots=True)
class Forecast:
    expected_at_deadline: float
    spread_at_deadline: float  # standard deviation of that expectation
    probability: float  # of meeting the threshold by the deadline
    crossing: date | None  # where the trend line meets the threshold; None if it never does
    slope_per_year: float
    slope_per_year_low: float
    slope_per_year_high: float
    points: int


def forecast_crossing(
    points: Sequence[Point], threshold: float, *, at_least: bool, deadline: date
) -> Forecast | None:
    """The Theil–Sen forecast of `points` against `threshold` (≥ if `at_least`, else ≤).

    None with fewer than MIN_POINTS distinct days: no trend worth quoting.
    """
    if len({p.on for p in points}) < MIN_POINTS:
        return None
    origin = min(p.on for p in points)
    trend = fit_theil_sen([_years(p.on, origin) for p in points], [p.value for p in points])
    x = _years(deadline, origin)
    expected, spread = trend.at(x), trend.spread_at(x)
    margin = expected - threshold if at_least else threshold - expected
    return Forecast(
        expected_at_deadline=expected,
        spread_at_deadline=spread,
        probability=_normal_cdf(margin / spread) if spread > 0 else _step(margin),
        crossing=_crossing(trend, threshold, origin),
        slope_per_year=trend.slope,
        slope_per_year_low=trend.slope_low,
        slope_per_year_high=trend.slope_high,
        points=trend.n,
    )


def fit_points(points: Sequence[Point]) -> Trend | None:
    """The trend per year of `points`, or None if there are too few."""
    if len({p.on for p in points}) < 2:
        return None
    origin = min(p.on for p in points)
    return fit_theil_sen([_years(p.on, origin) for p in points], [p.value for p in points])


def _crossing(trend: Trend, threshold: float, origin: date) -> date | None:
    if trend.slope == 0:
        return None
    years = (threshold - trend.intercept) / trend.slope
    if not -1000 < years < 1000:  # a trend too flat to cross in any meaningful time
        return None
    return origin + timedelta(days=round(years * DAYS_PER_YEAR))


def _years(on: date, origin: date) -> float:
    return (on - origin).days / DAYS_PER_YEAR


def _normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def _step(margin: float) -> float:
    return 1.0 if margin > 0 else 0.5 if margin == 0 else 0.0
