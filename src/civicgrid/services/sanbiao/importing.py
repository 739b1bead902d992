"""Importing reported values from a file: every row checked, then all stored, or (only
when asked) each good row stored and each bad one reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from civicgrid.domain.access import Action, Principal, authorize
from civicgrid.domain.errors import DomainError, Forbidden
from civicgrid.domain.sanbiao.periods import PeriodKey
from civicgrid.services.sanbiao.catalogue import load_catalogue
from civicgrid.services.sanbiao.milestone_checks import check_milestones_of
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork
from civicgrid.services.sanbiao.values import ValueEntry, check_entry, store_value


@dataclass(frozen=True, slots=True)
class RowError:
    line: int  # in the file, the header being line 1
    field: str | None
    message: str


@dataclass(frozen=True, slots=True)
class RowsRead:
    entries: list[tuple[int, ValueEntry]]
    errors: list[RowError]


@dataclass(frozen=True, slots=True)
class ImportReport:
    stored: int
    errors: list[RowError] = field(default_factory=list)
    per_row: bool = False


def import_values(
    uow: SanbiaoUnitOfWork,
    principal: Principal,
    read: RowsRead,
    *,
    per_row: bool = False,
    now: datetime,
) -> ImportReport:
    """All or nothing unless `per_row`: one bad row keeps the whole file out."""
    errors = list(read.errors)
    with uow:
        catalogue = load_catalogue(uow)
        good = []
        seen: dict[tuple[str, str, str], int] = {}
        for line, entry in read.entries:
            try:
                period = check_entry(catalogue, entry)
                area = uow.areas.get(entry.area_code, with_geometry=False)
                if area is None:
                    raise DomainError(f"no area with code {entry.area_code[:20]}", field="area")
                try:
                    authorize(principal, Action.MANAGE_AREAS, area.path, f"area {area.code}")
                except Forbidden as refused:
                    raise DomainError(refused.message, field="area") from None
                key = (entry.indicator, area.code, period.key)
                if key in seen:
                    raise DomainError(f"the same value as line {seen[key]}", field="period")
                seen[key] = line
                history = uow.sanbiao.value_history(entry.indicator, area.code, period.key)
                if history and not entry.reason.strip():
                    raise DomainError(
                        f"{entry.indicator} {area.code} {period.key} has a value "
                        "already: a correction needs a reason",
                        field="reason",
                    )
                good.append((area, _normalised(entry, period)))
            except DomainError as problem:
                errors.append(RowError(line, problem.field, problem.message))
        errors.sort(key=lambda e: e.line)
        if errors and not per_row:
            return ImportReport(0, errors, per_row)
        touched = set()
        for area, entry in good:
            store_value(uow, principal, area, entry, now=now)
            touched.add((area.code, entry.indicator))
        for code, indicator in sorted(touched):
            area = uow.areas.get(code, with_geometry=False)
            if area is not None:
                check_milestones_of(uow, catalogue, area, indicator, now=now)
        uow.commit()
    return ImportReport(len(good), errors, per_row)


def _normalised(entry: ValueEntry, period: PeriodKey) -> ValueEntry:
    return ValueEntry(
        entry.indicator, entry.area_code, period.key, entry.value, entry.source, entry.reason
    )
