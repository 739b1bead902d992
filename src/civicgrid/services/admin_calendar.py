"""The working calendar's corrections: a day made a holiday or a 调休 workday.

They are stored over the packaged China calendar and the calendar file; the case rules
in force merge them, so deadlines counted after a change count by it.
"""

from __future__ import annotations

from datetime import date, datetime

from civicgrid.domain.access import Principal
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.services.admin_ports import AdminUnitOfWork, CalendarDay
from civicgrid.services.admin_users import check_administrator

MAX_NOTE = 200
YEARS = range(2000, 2101)


def list_calendar_days(uow: AdminUnitOfWork, principal: Principal, year: int) -> list[CalendarDay]:
    check_administrator(principal)
    with uow:
        return [d for d in uow.admin.calendar_days() if d.day.year == year]


def set_calendar_day(
    uow: AdminUnitOfWork,
    principal: Principal,
    day: date,
    *,
    working: bool,
    note: str,
    now: datetime,
) -> None:
    check_administrator(principal)
    if day.year not in YEARS:
        raise InvalidInput(f"the day must lie in {YEARS.start}-{YEARS.stop - 1}", field="day")
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"the note has at most {MAX_NOTE} characters", field="note")
    with uow:
        uow.admin.save_calendar_day(
            CalendarDay(day, working, note.strip(), principal.username), now
        )
        uow.admin.bump_rules_version()
        uow.commit()


def remove_calendar_day(uow: AdminUnitOfWork, principal: Principal, day: date) -> None:
    check_administrator(principal)
    with uow:
        if not uow.admin.drop_calendar_day(day):
            raise NotFound(f"{day} has no correction", field="day")
        uow.admin.bump_rules_version()
        uow.commit()
