"""Period keys: "2023" (a year), "2023-Q2" (a quarter), "2023-05" (a month).

Every value, standard and ranking is keyed by one; a key's span is [start, end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.sanbiao.catalogue import Periodicity

_KEY = re.compile(r"^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$")


@dataclass(frozen=True, slots=True, order=True)
class PeriodKey:
    start: date
    end: date  # excluded
    periodicity: Periodicity

    @classmethod
    def parse(cls, key: str) -> PeriodKey:
        match = _KEY.fullmatch(key.strip())
        if match is None or not 1900 <= int(match.group(1)) <= 2200:
            raise InvalidInput(
                f"period {key[:20]!r} is not a year (2023), quarter (2023-Q2) or month (2023-05)",
                field="period",
            )
        year = int(match.group(1))
        if match.group(2):
            quarter = int(match.group(2))
            return cls(
                date(year, 3 * quarter - 2, 1), _month_after(year, 3 * quarter), Periodicity.QUARTER
            )
        if match.group(3):
            month = int(match.group(3))
            return cls(date(year, month, 1), _month_after(year, month), Periodicity.MONTH)
        return cls(date(year, 1, 1), date(year + 1, 1, 1), Periodicity.YEAR)

    @property
    def key(self) -> str:
        if self.periodicity is Periodicity.YEAR:
            return f"{self.start.year}"
        if self.periodicity is Periodicity.QUARTER:
            return f"{self.start.year}-Q{(self.start.month + 2) // 3}"
        return f"{self.start:%Y-%m}"

    def previous(self) -> PeriodKey:
        y, m = self.start.year, self.start.month
        if self.periodicity is Periodicity.YEAR:
            return PeriodKey.parse(str(y - 1))
        step = 3 if self.periodicity is Periodicity.QUARTER else 1
        m -= step
        if m < 1:
            y, m = y - 1, m + 12
        return PeriodKey(date(y, m, 1), self.start, self.periodicity)

    def years_since(self, other: PeriodKey) -> float:
        """Whole and fractional years from `other`'s start to this one's."""
        return (self.start - other.start).days / 365.25

    def __str__(self) -> str:
        return self.key


def period(key: str) -> PeriodKey:
    return PeriodKey.parse(key)


def months_of(year: int) -> list[PeriodKey]:
    return [PeriodKey.parse(f"{year}-{m:02d}") for m in range(1, 13)]


def _month_after(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def containing(day: date, periodicity: Periodicity) -> PeriodKey:
    """The period of `periodicity` that `day` falls in."""
    if periodicity is Periodicity.YEAR:
        return PeriodKey.parse(f"{day.year}")
    if periodicity is Periodicity.QUARTER:
        return PeriodKey.parse(f"{day.year}-Q{(day.month + 2) // 3}")
    return PeriodKey.parse(f"{day:%Y-%m}")
