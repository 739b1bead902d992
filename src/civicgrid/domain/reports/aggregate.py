"""Numeric fields summed up per level, as the template says (sum, mean, min, max)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from civicgrid.domain.forms import Aggregate, FieldType, Form


def aggregate(form: Form, answers: Iterable[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """{field: {"sum": …, "mean": …, …}} over the answers that hold the field."""
    numeric = [f for f in form if f.type is FieldType.NUMBER and f.aggregates]
    seen: dict[str, list[float]] = {f.key: [] for f in numeric}
    for answer in answers:
        for spec in numeric:
            value = answer.get(spec.key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                seen[spec.key].append(float(value))
    result: dict[str, dict[str, float]] = {}
    for spec in numeric:
        values = seen[spec.key]
        if not values:
            continue
        found: dict[str, float] = {}
        for kind in spec.aggregates:
            if kind is Aggregate.SUM:
                found["sum"] = sum(values)
            elif kind is Aggregate.MEAN:
                found["mean"] = sum(values) / len(values)
            elif kind is Aggregate.MIN:
                found["min"] = min(values)
            else:
                found["max"] = max(values)
        result[spec.key] = found
    return result
