"""Counting time on a timeline with excluded intervals (time on hold) cut out.

A timeline knows how much countable time lies between two instants and how to walk a
given amount forwards or backwards. Everything here is in integer microseconds; the
excluded intervals are merged first, so overlapping holds are only taken out once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from civicgrid.domain.calendar.instants import to_micros

Interval = tuple[int, int]


class Timeline(Protocol):
    def measure(self, start: int, end: int) -> int:
        """Countable microseconds in [start, end), start <= end."""
        ...

    def advance(self, start: int, amount: int) -> int:
        """The earliest t >= start with measure(start, t) == amount, for amount > 0."""
        ...

    def retreat(self, end: int, amount: int) -> int:
        """The latest t <= end with measure(t, end) == amount, for amount > 0."""
        ...


class AllTime:
    """Every microsecond counts: calendar hours and days."""

    def measure(self, start: int, end: int) -> int:
        return end - start

    def advance(self, start: int, amount: int) -> int:
        return start + amount

    def retreat(self, end: int, amount: int) -> int:
        return end - amount


def merge_excluded(excluded: Iterable[tuple[datetime, datetime]]) -> list[Interval]:
    """Excluded intervals as sorted, disjoint microsecond spans; empty ones dropped."""
    spans: list[Interval] = []
    for index, (start, end) in enumerate(excluded):
        lo = to_micros(start, name=f"excluded[{index}] start")
        hi = to_micros(end, name=f"excluded[{index}] end")
        if hi < lo:
            raise ValueError(f"excluded[{index}] ends before it starts: {start} > {end}")
        if hi > lo:
            spans.append((lo, hi))
    spans.sort()
    merged: list[Interval] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def measure_outside(line: Timeline, start: int, end: int, holes: Sequence[Interval]) -> int:
    total = line.measure(start, end)
    for lo, hi in holes:
        lo, hi = max(lo, start), min(hi, end)
        if lo < hi:
            total -= line.measure(lo, hi)
    return total


def advance_outside(line: Timeline, start: int, amount: int, holes: Sequence[Interval]) -> int:
    """Walk forwards through the gaps between holes until `amount` has been counted."""
    if amount == 0:
        return start
    cursor = start
    for lo, hi in holes:
        if hi <= cursor:
            continue
        if lo > cursor:
            available = line.measure(cursor, lo)
            if available >= amount:
                break
            amount -= available
        cursor = hi
    return line.advance(cursor, amount)


def retreat_outside(line: Timeline, end: int, amount: int, holes: Sequence[Interval]) -> int:
    """Walk backwards through the gaps between holes until `amount` has been counted."""
    if amount == 0:
        return end
    cursor = end
    for lo, hi in reversed(holes):
        if lo >= cursor:
            continue
        if hi < cursor:
            available = line.measure(hi, cursor)
            if available >= amount:
                break
            amount -= available
        cursor = lo
    return line.retreat(cursor, amount)
