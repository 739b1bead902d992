"""Working periods: the wall-clock spans of a working day, such as 08:30–12:00."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from itertools import pairwise

SECONDS_PER_DAY = 86_400
MIDNIGHT = time(0)

_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–—~]\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class WorkingPeriod:
    """One span of working time in local wall-clock time, start inclusive, end exclusive.

    An `end` of 00:00 means midnight at the end of the day (24:00), so "00:00-24:00"
    is a round-the-clock period. Periods never cross midnight.
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError(f"working period {self}: times are local wall-clock, without tzinfo")
        if self.start_second >= self.end_second:
            raise ValueError(f"working period {self}: start must be before end")

    @classmethod
    def parse(cls, text: str) -> WorkingPeriod:
        """'08:30-12:00' (also with an en dash); '24:00' is accepted as an end."""
        match = _PERIOD.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not a period like '08:30-12:00'")
        sh, sm, eh, em = (int(group) for group in match.groups())
        if (eh, em) == (24, 0):
            eh = 0
        try:
            return cls(time(sh, sm), time(eh, em))
        except ValueError as exc:
            raise ValueError(f"{text!r}: {exc}") from None

    @property
    def start_second(self) -> int:
        """Seconds after local midnight."""
        return _seconds(self.start)

    @property
    def end_second(self) -> int:
        return SECONDS_PER_DAY if self.end == MIDNIGHT else _seconds(self.end)

    @property
    def seconds(self) -> int:
        return self.end_second - self.start_second

    def __str__(self) -> str:
        end = "24:00" if self.end == MIDNIGHT else self.end.strftime("%H:%M")
        return f"{self.start.strftime('%H:%M')}-{end}"


def check_periods(periods: Sequence[WorkingPeriod]) -> None:
    """Periods must exist, be in order and not overlap (touching is allowed)."""
    if not periods:
        raise ValueError("a working calendar needs at least one working period")
    for before, after in pairwise(periods):
        if after.start_second < before.end_second:
            raise ValueError(f"working periods {before} and {after} overlap or are out of order")


def _seconds(at: time) -> int:
    if at.microsecond or at.second:
        raise ValueError(f"working periods are whole minutes, got {at.isoformat()}")
    return at.hour * 3600 + at.minute * 60
