"""Working calendars from data: China's 法定节假日 and 调休, or a plain mapping.

The default source is the `chinese_calendar` package, which carries the State
Council's announced holidays and adjusted working days for each year it knows
(announced each November for the next year). A city can correct or extend it with
overrides (date → working or not), e.g. for a local holiday or a year the package
does not know yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import chinese_calendar  # type: ignore[import-untyped]

from civicgrid.domain.calendar import (
    DEFAULT_PERIODS,
    SATURDAY_SUNDAY,
    WorkingCalendar,
    WorkingPeriod,
)

CHINA_ZONE = "Asia/Shanghai"
_KEYS = ("zone", "periods", "weekend", "holidays", "workdays", "source", "years")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def chinese_calendar_years() -> range:
    """The years the installed `chinese_calendar` has holiday data for."""
    years = {day.year for day in _known_dates("holidays")}
    return range(min(years), max(years) + 1)


def china_calendar(
    years: range | None = None,
    *,
    overrides: Mapping[date, bool] | None = None,
    periods: Sequence[WorkingPeriod] = DEFAULT_PERIODS,
    zone: str = CHINA_ZONE,
) -> WorkingCalendar:
    """China's holidays and 调休 days for `years` (default: every year known), overrides on top.

    Asking for a year the package does not know is an error rather than a calendar
    that silently has no holidays that year.
    """
    known = chinese_calendar_years()
    years = known if years is None else years
    if missing := [year for year in years if year not in known]:
        raise ValueError(
            f"chinese_calendar {chinese_calendar.__version__} has holidays for "
            f"{known.start}-{known.stop - 1}, not for {_runs(missing)}; "
            "upgrade it or give that year's days as overrides"
        )
    holidays = {day for day in _known_dates("holidays") if day.year in years}
    workdays = {day for day in _known_dates("workdays") if day.year in years}
    for day, working in (overrides or {}).items():
        holidays.discard(day)
        workdays.discard(day)
        weekend = day.isoweekday() in SATURDAY_SUNDAY
        if working and weekend:
            workdays.add(day)
        elif not working and not weekend:
            holidays.add(day)
    return WorkingCalendar(
        zone, tuple(periods), SATURDAY_SUNDAY, frozenset(holidays), frozenset(workdays)
    )


def calendar_from_mapping(data: Mapping[str, Any]) -> WorkingCalendar:
    """A calendar from a plain mapping, as loaded from YAML by the caller.

    zone: Asia/Shanghai              # required
    periods: ["08:30-12:00", "14:00-18:00"]
    weekend: [sat, sun]              # or ISO numbers 6, 7
    source: chinese_calendar         # optional: start from China's holidays and 调休
    years: [2024, 2026]              # with source: first and last year (or one year)
    holidays: [2026-12-31]           # ISO dates; on top of the source when there is one
    workdays: [2026-12-27]           # 调休: weekend dates that are worked
    """
    if unknown := sorted(set(data) - set(_KEYS)):
        raise ValueError(f"calendar: unknown key(s) {', '.join(unknown)}; expected {_KEYS}")
    zone = data.get("zone")
    if not isinstance(zone, str) or not zone:
        raise ValueError(f"calendar: zone must be a zone name like Asia/Shanghai, got {zone!r}")
    periods = tuple(_periods(data.get("periods")))
    weekend = frozenset(_weekend(data.get("weekend")))
    holidays = _iso_dates(data, "holidays")
    workdays = _iso_dates(data, "workdays")
    source = data.get("source")
    if source is None:
        if "years" in data:
            raise ValueError("calendar: years is only meaningful with source: chinese_calendar")
        return _checked(lambda: WorkingCalendar(zone, periods, weekend, holidays, workdays))
    if source != "chinese_calendar":
        raise ValueError(f"calendar: source must be chinese_calendar, got {source!r}")
    if weekend != SATURDAY_SUNDAY:
        raise ValueError("calendar: with source chinese_calendar the weekend is Saturday, Sunday")
    if both := sorted(holidays & workdays):
        raise ValueError(f"calendar: dates in both holidays and workdays: {both}")
    overrides = dict.fromkeys(holidays, False) | dict.fromkeys(workdays, True)
    years = _years(data.get("years"))
    return _checked(lambda: china_calendar(years, overrides=overrides, periods=periods, zone=zone))


def _runs(years: list[int]) -> str:
    """[2027, 2028, 2029, 2031] → "2027-2029, 2031"."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def _known_dates(table: str) -> list[date]:
    """The dates of one of the package's tables ("holidays" or "workdays"), typed."""
    days: Iterable[object] = getattr(chinese_calendar, table).keys()
    return [day for day in days if isinstance(day, date)]


def _periods(raw: object) -> list[WorkingPeriod]:
    if raw is None:
        return list(DEFAULT_PERIODS)
    if isinstance(raw, str) or not isinstance(raw, Sequence):
        raise ValueError(f"calendar: periods must be a list like ['08:30-12:00'], got {raw!r}")
    periods = []
    for index, text in enumerate(raw):
        if not isinstance(text, str):
            raise ValueError(f"calendar: periods[{index}] must be 'HH:MM-HH:MM', got {text!r}")
        try:
            periods.append(WorkingPeriod.parse(text))
        except ValueError as exc:
            raise ValueError(f"calendar: periods[{index}]: {exc}") from None
    return periods


def _weekend(raw: object) -> set[int]:
    if raw is None:
        return set(SATURDAY_SUNDAY)
    if isinstance(raw, str) or not isinstance(raw, Sequence):
        raise ValueError(f"calendar: weekend must be a list like [sat, sun], got {raw!r}")
    days = set()
    for index, value in enumerate(raw):
        name = str(value).strip().lower()[:3]
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 7:
            days.add(value)
        elif isinstance(value, str) and name in _WEEKDAYS:
            days.add(_WEEKDAYS.index(name) + 1)
        else:
            raise ValueError(
                f"calendar: weekend[{index}] must be a weekday (mon … sun or 1-7), got {value!r}"
            )
    return days


def _iso_dates(data: Mapping[str, Any], key: str) -> frozenset[date]:
    raw = data.get(key)
    if raw is None:
        return frozenset()
    if isinstance(raw, str) or not isinstance(raw, Sequence):
        raise ValueError(f"calendar: {key} must be a list of ISO dates, got {raw!r}")
    days = set()
    for index, value in enumerate(raw):
        # YAML reads an unquoted 2026-10-01 as a date already; a datetime is not a date here.
        if isinstance(value, date) and not isinstance(value, datetime):
            days.add(value)
            continue
        try:
            days.add(date.fromisoformat(value))
        except (TypeError, ValueError):
            raise ValueError(
                f"calendar: {key}[{index}] must be an ISO date like 2026-10-01, got {value!r}"
            ) from None
    return frozenset(days)


def _years(raw: object) -> range | None:
    if raw is None:
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        return range(raw, raw + 1)
    if (
        isinstance(raw, Sequence)
        and not isinstance(raw, str)
        and len(raw) == 2
        and all(isinstance(year, int) and not isinstance(year, bool) for year in raw)
        and raw[0] <= raw[1]
    ):
        return range(raw[0], raw[1] + 1)
    raise ValueError(f"calendar: years must be a year or [first, last], got {raw!r}")


def _checked(build: Callable[[], WorkingCalendar]) -> WorkingCalendar:
    """Build, prefixing the domain's own complaint with where it came from."""
    try:
        return build()
    except ValueError as exc:
        raise ValueError(f"calendar: {exc}") from None
