"""Reported values: each correction is a new version with a reason; history stays."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.errors import InvalidInput

MAX_ABS_VALUE = 1e15


@dataclass(frozen=True, slots=True)
class ValueVersion:
    indicator: str
    area_code: str
    period: str
    version: int  # 1 for the first entry, then one more per correction
    value: float
    source: str  # the document it comes from, e.g. "source document" or "synthetic"
    entered_by: str
    entered_at: datetime
    reason: str = ""  # why this version replaced the one before; empty for version 1


def check_value(value: float) -> None:
    if not math.isfinite(value) or abs(value) > MAX_ABS_VALUE:
        raise InvalidInput("a value must be a finite number below 1e15 in size", field="value")


def next_version(history: Sequence[ValueVersion], reason: str) -> int:
    """The version a new entry gets; a correction must say why."""
    if history and not reason.strip():
        raise InvalidInput("a correction needs a reason", field="reason")
    return max((v.version for v in history), default=0) + 1
