"""Laws of working time, on random calendars (zones with and without daylight saving).

Amounts are drawn as whole microseconds, the calendar's resolution, so every law is
checked exactly rather than within a tolerance.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from civicgrid.domain.calendar import WorkingCalendar, WorkingPeriod

ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"]
FIRST, LAST = datetime(2025, 6, 1), datetime(2027, 6, 1)  # noqa: DTZ001 - hypothesis bounds
MICRO = timedelta(microseconds=1)
Holds = list[tuple[datetime, datetime]]

# A few calendars reused across examples, so their year tables are built once.
FIXED = [
    WorkingCalendar("Asia/Shanghai"),
    WorkingCalendar(
        "Europe/Berlin",
        (WorkingPeriod.parse("00:00-02:30"), WorkingPeriod.parse("02:30-03:30")),
        weekend=frozenset({7}),
        holidays=frozenset({date(2026, 3, 30), date(2026, 10, 26)}),
    ),
    WorkingCalendar("America/New_York", (WorkingPeriod.parse("22:00-24:00"),)),
]


@st.composite
def random_calendars(draw: st.DrawFn) -> WorkingCalendar:
    marks = sorted(draw(st.sets(st.integers(0, 24 * 60), min_size=2, max_size=6)))
    bounds = list(zip(marks[0::2], marks[1::2], strict=False))
    periods = tuple(WorkingPeriod(_wall(lo), _wall(hi)) for lo, hi in bounds)
    days = st.dates(FIRST.date(), LAST.date())
    holidays = draw(st.frozensets(days, max_size=60))
    return WorkingCalendar(
        draw(st.sampled_from(ZONES)),
        periods,
        weekend=draw(st.frozensets(st.integers(1, 7), max_size=6)),
        holidays=holidays,
        workdays=draw(st.frozensets(days, max_size=10)) - holidays,
    )


def _wall(minute: int) -> time:
    return time(0) if minute == 24 * 60 else time(minute // 60, minute % 60)  # 24:00 is 00:00


calendars = st.one_of(st.sampled_from(FIXED), random_calendars())
instants = st.datetimes(FIRST, LAST, timezones=st.just(UTC))
# Up to about a year of working time, with short amounts drawn often.
amounts = st.one_of(st.integers(0, 10**10), st.integers(0, 2000 * 3600 * 10**6)).map(
    lambda count: count / 1e6
)
holds = st.lists(
    st.tuples(instants, st.integers(0, 10 * 86400 * 10**6)).map(
        lambda pair: (pair[0], pair[0] + pair[1] * MICRO)
    ),
    max_size=4,
)


def micros(seconds: float) -> int:
    return round(seconds * 1e6)


def in_a_working_time(calendar: WorkingCalendar, at: datetime) -> bool:
    """In a working period, or at its end: the documented landing places of `add_working`."""
    local = at.astimezone(ZoneInfo(calendar.zone)).date()
    days = (local + timedelta(offset) for offset in (-1, 0, 1))
    return any(lo < at <= hi for day in days for lo, hi in calendar.working_periods_on(day))


def working_start(calendar: WorkingCalendar, anywhere: datetime, into: float) -> datetime:
    """An instant in working time: `into` seconds of work after `anywhere`."""
    start = calendar.add_working(anywhere, into)
    assume(calendar.is_working_time(start))
    return start


@settings(max_examples=120, deadline=None)
@given(calendars, instants, st.integers(1, 10**9), amounts, holds)
def test_subtracting_what_was_added_returns_to_a_start_in_working_time(
    calendar: WorkingCalendar, anywhere: datetime, into: int, amount: float, excluded: Holds
) -> None:
    start = working_start(calendar, anywhere, into / 1e6)
    assert calendar.subtract_working(calendar.add_working(start, amount), amount) == start
    assume(not any(lo <= start < hi for lo, hi in excluded))
    end = calendar.add_working(start, amount, excluded=excluded)
    assert calendar.subtract_working(end, amount, excluded=excluded) == start


@settings(max_examples=120, deadline=None)
@given(calendars, instants, amounts, holds)
def test_the_working_time_up_to_a_sum_is_the_amount_added(
    calendar: WorkingCalendar, start: datetime, amount: float, excluded: Holds
) -> None:
    assert calendar.working_seconds(start, calendar.add_working(start, amount)) == amount
    end = calendar.add_working(start, amount, excluded=excluded)
    assert calendar.working_seconds(start, end, excluded=excluded) == amount


@settings(max_examples=100, deadline=None)
@given(calendars, instants, amounts, amounts, holds)
def test_adding_more_never_ends_earlier(
    calendar: WorkingCalendar, start: datetime, one: float, other: float, excluded: Holds
) -> None:
    less, more = sorted([one, other])
    assert calendar.add_working(start, less) <= calendar.add_working(start, more)
    assert calendar.add_working(start, less, excluded=excluded) <= calendar.add_working(
        start, more, excluded=excluded
    )
    assert calendar.subtract_working(start, less) >= calendar.subtract_working(start, more)


@settings(max_examples=100, deadline=None)
@given(calendars, instants, instants, amounts, holds)
def test_starting_later_never_ends_earlier(
    calendar: WorkingCalendar, one: datetime, other: datetime, amount: float, excluded: Holds
) -> None:
    early, late = sorted([one, other])
    assert calendar.add_working(early, amount) <= calendar.add_working(late, amount)
    assert calendar.add_working(early, amount, excluded=excluded) <= calendar.add_working(
        late, amount, excluded=excluded
    )
    assert calendar.subtract_working(early, amount) <= calendar.subtract_working(late, amount)


@settings(max_examples=120, deadline=None)
@given(calendars, st.lists(instants, min_size=3, max_size=3), holds)
def test_working_time_adds_up_over_a_split_point(
    calendar: WorkingCalendar, points: list[datetime], excluded: Holds
) -> None:
    first, middle, last = sorted(points)
    for holes in ([], excluded):
        whole = calendar.working_seconds(first, last, excluded=holes)
        before = calendar.working_seconds(first, middle, excluded=holes)
        after = calendar.working_seconds(middle, last, excluded=holes)
        assert micros(whole) == micros(before) + micros(after)


@settings(max_examples=120, deadline=None)
@given(calendars, instants, instants, holds, holds)
def test_holds_only_ever_take_working_time_away(
    calendar: WorkingCalendar, one: datetime, other: datetime, some: Holds, more: Holds
) -> None:
    start, end = sorted([one, other])
    free = calendar.working_seconds(start, end)
    held = calendar.working_seconds(start, end, excluded=some)
    held_more = calendar.working_seconds(start, end, excluded=some + more)
    assert 0 <= held_more <= held <= free
    assert calendar.working_seconds(start, end, excluded=some + some) == held


@settings(max_examples=100, deadline=None)
@given(calendars, instants, st.integers(0, 5 * 86400 * 10**6), st.integers(0, 10**11))
def test_touching_holds_count_as_one(
    calendar: WorkingCalendar, start: datetime, first: int, second: int
) -> None:
    middle = start + first * MICRO
    end = middle + second * MICRO
    window = (start - timedelta(days=3), end + timedelta(days=3))
    split = calendar.working_seconds(*window, excluded=[(start, middle), (middle, end)])
    assert split == calendar.working_seconds(*window, excluded=[(start, end)])


@settings(max_examples=120, deadline=None)
@given(calendars, instants, amounts, holds)
def test_sums_land_in_working_time_or_at_a_periods_end(
    calendar: WorkingCalendar, start: datetime, amount: float, excluded: Holds
) -> None:
    assume(amount > 0)
    assert in_a_working_time(calendar, calendar.add_working(start, amount))
    assert in_a_working_time(calendar, calendar.add_working(start, amount, excluded=excluded))
    assert calendar.is_working_time(calendar.subtract_working(start, amount))


@settings(max_examples=100, deadline=None)
@given(calendars, instants, st.integers(0, 40 * 86400 * 10**6))
def test_working_time_is_the_sum_of_each_days_periods(
    calendar: WorkingCalendar, start: datetime, length: int
) -> None:
    end = start + length * MICRO
    zone = ZoneInfo(calendar.zone)
    day, last = start.astimezone(zone).date() - timedelta(1), end.astimezone(zone).date()
    expected = timedelta(0)
    while day <= last:
        for lo, hi in calendar.working_periods_on(day):
            expected += max(min(hi, end) - max(lo, start), timedelta(0))
        day += timedelta(1)
    assert micros(calendar.working_seconds(start, end)) == expected // MICRO
