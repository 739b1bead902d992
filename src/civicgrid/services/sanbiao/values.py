"""Entering reported values, correcting them with a reason, and reading their history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.access import Action, Principal
from civicgrid.domain.areas import Area
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.sanbiao.catalogue import IndicatorDef, Kind
from civicgrid.domain.sanbiao.periods import PeriodKey
from civicgrid.domain.sanbiao.values import ValueVersion, check_value, next_version
from civicgrid.services.areas import access_area
from civicgrid.services.sanbiao.catalogue import indicator_in, load_catalogue
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.milestone_checks import check_milestones_of
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork
from civicgrid.services.sanbiao.reading import ValueReader

MAX_SOURCE = 300


@dataclass(frozen=True, slots=True)
class ValueEntry:
    indicator: str
    area_code: str
    period: str
    value: float
    source: str
    reason: str = ""


def check_entry(catalogue: dict[str, IndicatorDef], entry: ValueEntry) -> PeriodKey:
    """Everything about an entry that needs no area: raises InvalidInput or NotFound."""
    indicator = indicator_in(catalogue, entry.indicator)
    if indicator.kind is not Kind.REPORTED:
        raise InvalidInput(
            f"{indicator.code} is computed from the logs and is never typed in", field="indicator"
        )
    period = PeriodKey.parse(entry.period)
    if period.periodicity is not indicator.periodicity:
        raise InvalidInput(
            f"{indicator.code} is reported by {indicator.periodicity.value}, "
            f"not for {entry.period}",
            field="period",
        )
    check_value(entry.value)
    if not entry.source.strip() or len(entry.source) > MAX_SOURCE:
        raise InvalidInput(
            "say where the value comes from (source, up to 300 characters)", field="source"
        )
    if len(entry.reason) > 500:
        raise InvalidInput("a reason is at most 500 characters", field="reason")
    return period


def enter_value(
    uow: SanbiaoUnitOfWork, principal: Principal, entry: ValueEntry, *, now: datetime
) -> ValueVersion:
    """A first value, or a correction (a new version, which must give its reason)."""
    with uow:
        catalogue = load_catalogue(uow)
        check_entry(catalogue, entry)
        area = access_area(
            uow, principal, entry.area_code, Action.MANAGE_AREAS, with_geometry=False
        )
        stored = store_value(uow, principal, area, entry, now=now)
        check_milestones_of(uow, catalogue, area, entry.indicator, now=now)
        uow.commit()
    return stored


def store_value(
    uow: SanbiaoUnitOfWork, principal: Principal, area: Area, entry: ValueEntry, *, now: datetime
) -> ValueVersion:
    """Inside an open unit of work, once `entry` and `area` are checked."""
    history = uow.sanbiao.value_history(entry.indicator, area.code, entry.period)
    version = ValueVersion(
        entry.indicator,
        area.code,
        entry.period,
        next_version(history, entry.reason),
        entry.value,
        entry.source.strip(),
        principal.username,
        now,
        entry.reason.strip(),
    )
    uow.sanbiao.add_value(version, area.path)
    return version


def value_history(
    uow: SanbiaoUnitOfWork, principal: Principal, indicator: str, area_code: str, period: str
) -> list[ValueVersion]:
    with uow:
        indicator_in(load_catalogue(uow), indicator)
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
        return uow.sanbiao.value_history(indicator, area.code, PeriodKey.parse(period).key)


def current_values_within(
    uow: SanbiaoUnitOfWork, principal: Principal, indicator: str, area_code: str
) -> list[ValueVersion]:
    """The standing version of every value of `indicator` in the area's subtree."""
    with uow:
        indicator_in(load_catalogue(uow), indicator)
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
        found = [v for _, v in uow.sanbiao.current_values(indicator, area.path)]
    return sorted(found, key=lambda v: (v.area_code, PeriodKey.parse(v.period)))


def read_series(
    uow: SanbiaoUnitOfWork,
    principal: Principal,
    indicator: str,
    area_code: str,
    context: Context,
    period: str | None = None,
) -> list[tuple[PeriodKey, float]]:
    """Any indicator's values for an area: one period (computed ones are recomputed for
    any past period), or its series (every reported period; a computed one's last few)."""
    with uow:
        catalogue = load_catalogue(uow)
        chosen = indicator_in(catalogue, indicator)
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
        reader = ValueReader(uow, catalogue, context)
        if period is None:
            return reader.series(chosen, area)
        key = PeriodKey.parse(period)
        value = reader.value(chosen, area, key)
    return [] if value is None else [(key, value)]
