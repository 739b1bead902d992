"""Instants as integer microseconds since the Unix epoch.

The calendar counts in whole microseconds, the resolution of `datetime`, so adding
working time and taking it away again returns exactly the instant it started from.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROS_PER_SECOND = 1_000_000
_ONE_MICRO = timedelta(microseconds=1)


def require_utc(at: datetime, name: str = "datetime") -> datetime:
    """The same instant in UTC; a naive datetime is refused with ValueError."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got naive {at.isoformat()}")
    return at.astimezone(UTC)


def to_micros(at: datetime, *, name: str = "datetime") -> int:
    """Microseconds since the epoch; a naive datetime is refused, any aware one accepted."""
    return (require_utc(at, name) - EPOCH) // _ONE_MICRO


def from_micros(micros: int) -> datetime:
    """The aware UTC datetime for microseconds since the epoch."""
    return EPOCH + timedelta(microseconds=micros)


def seconds_to_micros(seconds: float) -> int:
    """A non-negative, finite duration in seconds, rounded to whole microseconds."""
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"a duration must be a finite number of seconds >= 0, got {seconds!r}")
    return round(seconds * MICROS_PER_SECOND)


def micros_to_seconds(micros: int) -> float:
    return micros / MICROS_PER_SECOND
