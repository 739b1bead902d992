"""Theil–Sen and the forecast built on it, on series whose trend is known."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from civicgrid.domain.sanbiao.forecast import Point, forecast_crossing
from civicgrid.domain.sanbiao.theil_sen import fit_theil_sen

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@given(slope=finite, intercept=finite, n=st.integers(2, 30))
def test_an_exact_line_is_recovered_exactly(slope: float, intercept: float, n: int) -> None:
    x = np.arange(n, dtype=float)
    trend = fit_theil_sen(x, intercept + slope * x)
    assert trend.slope == pytest.approx(slope, abs=1e-9)
    assert trend.intercept == pytest.approx(intercept, abs=1e-6)
    assert trend.slope_low <= trend.slope <= trend.slope_high


@given(
    slope=finite,
    n=st.integers(8, 40),
    outliers=st.lists(st.tuples(st.integers(0, 39), st.floats(-1e6, 1e6)), max_size=2),
)
def test_a_few_wild_outliers_do_not_move_the_slope(
    slope: float, n: int, outliers: list[tuple[int, float]]
) -> None:
    """With two bad points in eight or more, the clean pairs' slopes are still the majority,
    so the median is one of them."""
    x = np.arange(n, dtype=float)
    y = 5 + slope * x
    for index, value in outliers:
        y[index % n] = value
    assert fit_theil_sen(x, y).slope == pytest.approx(slope, rel=1e-9, abs=1e-9)


@given(
    xs=st.lists(st.integers(-1000, 1000), min_size=2, max_size=25),
    ys=st.lists(st.integers(-1000, 1000), min_size=25, max_size=25),
    shift=st.integers(-1000, 1000),
    scale=st.sampled_from([0.25, 0.5, 2.0, 8.0]),  # exact in binary: no rounding to blame
)
@settings(max_examples=200)
def test_the_slope_is_equivariant_and_lies_between_the_pairwise_slopes(
    xs: list[int], ys: list[int], shift: int, scale: float
) -> None:
    assume(len(set(xs)) >= 2)
    y = np.array(ys[: len(xs)], dtype=float)
    x = np.array(xs, dtype=float)
    trend = fit_theil_sen(x, y)
    moved = fit_theil_sen(x + shift, scale * y + shift)
    assert moved.slope == pytest.approx(scale * trend.slope, rel=1e-6, abs=1e-6)
    i, j = np.triu_indices(len(x), k=1)
    keep = x[i] != x[j]
    slopes = (y[j] - y[i])[keep] / (x[j] - x[i])[keep]
    assert slopes.min() - 1e-9 <= trend.slope <= slopes.max() + 1e-9


def test_no_trend_without_two_distinct_x() -> None:
    with pytest.raises(ValueError, match="two distinct"):
        fit_theil_sen([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])


def test_the_interval_narrows_as_points_accumulate() -> None:
    rng = np.random.default_rng(7)
    widths = []
    for n in (10, 40, 160):
        x = np.arange(n, dtype=float)
        trend = fit_theil_sen(x, 2 * x + rng.normal(0, 3, n))
        assert trend.slope_low <= 2 <= trend.slope_high
        widths.append(trend.slope_high - trend.slope_low)
    assert widths[0] > widths[1] > widths[2]


def yearly(values: list[float], first: int = 2018) -> list[Point]:
    return [Point(date(first + i, 12, 31), v) for i, v in enumerate(values)]


def test_a_steady_climb_forecasts_its_crossing_and_a_high_chance() -> None:
    # +100 a year from 600 (2018): 1,100 is crossed at the end of 2023.
    points = yearly([600, 700, 800, 900, 1000])
    forecast = forecast_crossing(points, 1100, at_least=True, deadline=date(2023, 12, 31))
    assert forecast is not None
    assert forecast.slope_per_year == pytest.approx(100, rel=1e-3)
    assert forecast.crossing is not None
    assert abs((forecast.crossing - date(2023, 12, 31)).days) <= 2
    assert forecast.expected_at_deadline == pytest.approx(1100, rel=1e-3)
    later = forecast_crossing(points, 1100, at_least=True, deadline=date(2025, 12, 31))
    assert later is not None
    assert later.probability > 0.99
    sooner = forecast_crossing(points, 1100, at_least=True, deadline=date(2022, 12, 31))
    assert sooner is not None
    assert sooner.probability < 0.01


def test_noise_makes_the_chance_uncertain_and_a_fall_makes_it_small() -> None:
    rng = np.random.default_rng(3)
    noisy = [
        Point(date(2020, 1, 1) + timedelta(days=30 * i), 100 + 2 * i + rng.normal(0, 8))
        for i in range(24)
    ]
    forecast = forecast_crossing(noisy, 150, at_least=True, deadline=date(2022, 1, 1))
    assert forecast is not None
    assert 0.05 < forecast.probability < 0.95
    falling = yearly([900, 850, 800, 760])
    down = forecast_crossing(falling, 1100, at_least=True, deadline=date(2023, 12, 31))
    assert down is not None
    assert down.probability < 0.01
    assert down.crossing is not None
    assert down.crossing < date(2018, 1, 1)  # the line met 1,100 only in the past
    lower = forecast_crossing(falling, 700, at_least=False, deadline=date(2023, 12, 31))
    assert lower is not None
    assert lower.probability > 0.9


def test_too_few_points_give_no_forecast() -> None:
    assert forecast_crossing(yearly([1, 2]), 3, at_least=True, deadline=date(2030, 1, 1)) is None
