"""Cascading a standard down the hierarchy, and checking the parts fit the whole.

For a summed indicator the parts must add up to the whole; for a mean the parts'
mean (weighted, for a weighted mean) must equal it; a non-aggregable one cannot be
split at all.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.sanbiao.catalogue import Aggregation

TOLERANCE = 1e-9  # relative


@dataclass(frozen=True, slots=True)
class Part:
    area_code: str
    target: float
    share: float  # of the whole's weights
    derivation: str


def split_target(
    total: float,
    aggregation: Aggregation,
    weights: Mapping[str, float],
    names: Mapping[str, str],
    whole: str,
    basis: str,
) -> list[Part]:
    """Parts of `total` by `weights`: shares of a sum; a mean keeps its level in each.

    `basis` says where the weights came from ("weights", or "2022 economy.retail_sales").
    """
    if aggregation is Aggregation.NONE:
        raise InvalidInput(
            "this indicator does not aggregate, so its standard cannot be cascaded",
            field="indicator",
        )
    if not weights:
        raise InvalidInput("a cascade needs at least one part", field="weights")
    if any(not math.isfinite(w) or w < 0 for w in weights.values()):
        raise InvalidInput("weights must be finite and not negative", field="weights")
    whole_weight = sum(weights.values())
    if whole_weight <= 0:
        raise InvalidInput("the weights add up to zero", field="weights")
    parts = []
    for code, weight in weights.items():
        share = weight / whole_weight
        if aggregation is Aggregation.SUM:
            target = total * share
            how = f"= {whole} {total:.6g} × {share:.4f} (share by {basis})"
        else:  # a mean or weighted mean: every part holds the whole's level
            target = total
            how = f"= {whole} {total:.6g} (the level holds in every part)"
        parts.append(Part(code, target, share, f"{names.get(code, code)} {how}"))
    return parts


def check_cascade(total: float, aggregation: Aggregation, parts: list[Part]) -> None:
    """Raise unless the parts are consistent with the whole."""
    if aggregation is Aggregation.SUM:
        combined = math.fsum(p.target for p in parts)
        what = "sum"
    else:
        combined = math.fsum(p.target * p.share for p in parts)
        what = "weighted mean"
    if not math.isclose(combined, total, rel_tol=TOLERANCE, abs_tol=TOLERANCE):
        raise InvalidInput(
            f"the parts' {what} {combined:.6g} is not the whole {total:.6g}", field="weights"
        )
