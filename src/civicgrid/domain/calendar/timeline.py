"""Working time as a timeline: each day's working spans in UTC, and per-year prefix sums.

A span of any length costs two partial days plus a difference of prefix sums, and
walking forwards or backwards costs a bisection per year crossed, so years of working
time are as cheap as hours. Each year's table (one entry per day) is built on first
use and kept; it is a memo of pure data, so sharing a calendar is safe.

Spans are real elapsed time: a working period on a daylight-saving day is as long as
the clock says it lasted, and wall-clock times inside a DST gap are read as Python
reads them (fold=0), clamped so that spans stay in order and inside their day.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from civicgrid.domain.calendar.excluded import Interval
from civicgrid.domain.calendar.instants import EPOCH, MICROS_PER_SECOND, from_micros
from civicgrid.domain.calendar.periods import SECONDS_PER_DAY, WorkingPeriod

ONE_DAY = timedelta(days=1)
_EPOCH_ORDINAL = EPOCH.toordinal()


class WorkingTimeline:
    """The `Timeline` of a working calendar, in integer microseconds since the epoch."""

    def __init__(
        self,
        zone: ZoneInfo,
        periods: Sequence[WorkingPeriod],
        is_working_day: Callable[[date], bool],
    ) -> None:
        self._zone = zone
        self._bounds = [(p.start_second, p.end_second) for p in periods]
        self._is_working_day = is_working_day
        self._years: dict[int, list[int]] = {}

    # -- days --------------------------------------------------------------------------

    def local_instant(self, day: date, second: int) -> int:
        """The instant a local wall-clock time (seconds after midnight, up to 24:00) occurs."""
        if second == SECONDS_PER_DAY:
            day, second = day + ONE_DAY, 0
        # fold=0: a repeated hour is read the first time round, as Python does.
        hour, minute = divmod(second // 60, 60)
        local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=self._zone)
        offset = local.utcoffset() or timedelta(0)  # never None for a ZoneInfo
        wall = (day.toordinal() - _EPOCH_ORDINAL) * SECONDS_PER_DAY + second
        utc = wall - offset.days * SECONDS_PER_DAY - offset.seconds  # zone offsets: whole seconds
        return utc * MICROS_PER_SECOND

    def day_of(self, at: int) -> date:
        """The local date whose [midnight, next midnight) holds the instant."""
        day = from_micros(at).astimezone(self._zone).date()
        if at < self.local_instant(day, 0):
            return day - ONE_DAY
        if at >= self.local_instant(day, SECONDS_PER_DAY):
            return day + ONE_DAY
        return day

    def spans(self, day: date) -> list[Interval]:
        """The day's working time as ordered, disjoint UTC spans; none on a day off."""
        if not self._is_working_day(day):
            return []
        return self._spans(
            day, self.local_instant(day, 0), self.local_instant(day, SECONDS_PER_DAY)
        )

    def _spans(self, day: date, floor: int, ceiling: int) -> list[Interval]:
        spans: list[Interval] = []
        for start_second, end_second in self._bounds:
            lo = min(max(self.local_instant(day, start_second), floor), ceiling)
            hi = min(max(self.local_instant(day, end_second), lo), ceiling)
            if hi > lo:
                spans.append((lo, hi))
                floor = hi
        return spans

    # -- the Timeline protocol ---------------------------------------------------------

    def measure(self, start: int, end: int) -> int:
        if end <= start:
            return 0
        first, last = self.day_of(start), self.day_of(end)
        if first == last:
            return _overlap(self.spans(first), start, end)
        return (
            _overlap(self.spans(first), start, end)
            + self._whole_days(first + ONE_DAY, last)
            + _overlap(self.spans(last), start, end)
        )

    def advance(self, start: int, amount: int) -> int:
        day = self.day_of(start)
        for lo, hi in self.spans(day):
            lo = max(lo, start)
            if hi - lo >= amount:
                return lo + amount
            amount -= max(hi - lo, 0)
        day, amount = self._find_forwards(day + ONE_DAY, amount)
        for lo, hi in self.spans(day):
            if hi - lo >= amount:
                return lo + amount
            amount -= hi - lo
        raise AssertionError("unreachable: the day was chosen to hold the amount")

    def retreat(self, end: int, amount: int) -> int:
        day = self.day_of(end)
        for lo, hi in reversed(self.spans(day)):
            hi = min(hi, end)
            if hi - lo >= amount:
                return hi - amount
            amount -= max(hi - lo, 0)
        day, amount = self._find_backwards(day - ONE_DAY, amount)
        for lo, hi in reversed(self.spans(day)):
            if hi - lo >= amount:
                return hi - amount
            amount -= hi - lo
        raise AssertionError("unreachable: the day was chosen to hold the amount")

    # -- whole days, through the per-year tables -------------------------------------

    def _year(self, year: int) -> list[int]:
        """table[i] = working microseconds on the first i days of the year."""
        table = self._years.get(year)
        if table is None:
            day, table = date(year, 1, 1), [0]
            floor = self.local_instant(day, 0)
            while day.year == year:
                ceiling = self.local_instant(day, SECONDS_PER_DAY)
                worked = 0
                if self._is_working_day(day):
                    worked = sum(hi - lo for lo, hi in self._spans(day, floor, ceiling))
                table.append(table[-1] + worked)
                day, floor = day + ONE_DAY, ceiling
            self._years[year] = table
        return table

    def _whole_days(self, first: date, stop: date) -> int:
        """Working microseconds on the days first <= day < stop."""
        total = 0
        while first < stop:
            table, jan1 = self._year(first.year), date(first.year, 1, 1)
            upto = min((stop - jan1).days, len(table) - 1)
            total += table[upto] - table[(first - jan1).days]
            first = jan1 + timedelta(days=upto)
        return total

    def _find_forwards(self, first: date, amount: int) -> tuple[date, int]:
        """The day from `first` on where `amount` more is reached, and what is left for it."""
        while True:
            table, jan1 = self._year(first.year), date(first.year, 1, 1)
            index = (first - jan1).days
            target = table[index] + amount
            if table[-1] >= target:
                found = bisect_left(table, target, index + 1) - 1
                return jan1 + timedelta(days=found), target - table[found]
            amount = target - table[-1]
            first = date(first.year + 1, 1, 1)

    def _find_backwards(self, last: date, amount: int) -> tuple[date, int]:
        """The day from `last` back where `amount` more is reached, and what is left for it."""
        while True:
            table, jan1 = self._year(last.year), date(last.year, 1, 1)
            index = (last - jan1).days
            target = table[index + 1] - amount
            if target >= 0:
                found = bisect_right(table, target, 0, index + 1) - 1
                return jan1 + timedelta(days=found), table[found + 1] - target
            amount = -target
            last = date(last.year - 1, 12, 31)


def _overlap(spans: list[Interval], start: int, end: int) -> int:
    return sum(max(min(hi, end) - max(lo, start), 0) for lo, hi in spans)
