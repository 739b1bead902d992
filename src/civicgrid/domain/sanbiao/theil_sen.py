"""Theil–Sen: the median of all pairwise slopes, a trend that outliers barely move.

The slope's confidence interval is Sen's (1968): rank the pairwise slopes and take
the ones `z·sqrt(Var S)` either side of the middle, where Var S is the variance of
Kendall's S under no trend (ties in x left out).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Z_95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class Trend:
    slope: float
    intercept: float  # value at x = 0
    slope_low: float  # 95 % confidence interval of the slope
    slope_high: float
    residual_scale: float  # 1.4826 × the median absolute residual: a robust sigma
    n: int
    x_centre: float  # median x: the trend's uncertainty is smallest here

    def at(self, x: float) -> float:
        return self.intercept + self.slope * x

    def spread_at(self, x: float) -> float:
        """Standard deviation of a new value at `x`: the slope's and the scatter's."""
        slope_sd = (self.slope_high - self.slope_low) / (2 * Z_95)
        return math.hypot(slope_sd * (x - self.x_centre), self.residual_scale)


def fit_theil_sen(x: Floats | list[float], y: Floats | list[float]) -> Trend:
    """The Theil–Sen trend of (x, y); needs two or more distinct x."""
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if xs.shape != ys.shape or xs.ndim != 1:
        raise ValueError("x and y must be equal-length 1-D sequences")
    if not (np.isfinite(xs).all() and np.isfinite(ys).all()):
        raise ValueError("x and y must be finite")
    i, j = np.triu_indices(len(xs), k=1)
    dx = xs[j] - xs[i]
    distinct = dx != 0
    if not distinct.any():
        raise ValueError("a trend needs at least two distinct x")
    slopes = np.sort((ys[j] - ys[i])[distinct] / dx[distinct])
    slope = float(np.median(slopes))
    intercept = float(np.median(ys - slope * xs))
    low, high = _slope_interval(slopes, xs)
    residuals = ys - (intercept + slope * xs)
    scale = 1.4826 * float(np.median(np.abs(residuals - np.median(residuals))))
    return Trend(slope, intercept, low, high, scale, len(xs), float(np.median(xs)))


def _slope_interval(slopes: Floats, xs: Floats) -> tuple[float, float]:
    n = len(xs)
    _, ties = np.unique(xs, return_counts=True)
    variance = (n * (n - 1) * (2 * n + 5) - float(np.sum(ties * (ties - 1) * (2 * ties + 5)))) / 18
    c = Z_95 * math.sqrt(max(variance, 0.0))
    m = len(slopes)
    lower = math.floor((m - c) / 2)  # 1-based ranks, clipped into range
    upper = math.ceil((m + c) / 2) + 1
    lo_index = min(max(lower, 1), m) - 1
    hi_index = min(max(upper, 1), m) - 1
    return float(slopes[lo_index]), float(slopes[hi_index])
