"""/staff/admin/calendar: a year's corrections to the working calendar, added and removed."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import RedirectResponse, Response

from civicgrid.services import admin_calendar
from civicgrid.web.forms import Problem
from civicgrid.web.staff import StaffDep, StaffFormDep, StaffPage, StaffRoute

CALENDAR_PATH = "/staff/admin/calendar"
KINDS = ("holiday", "workday")

router = APIRouter(prefix=CALENDAR_PATH, route_class=StaffRoute, include_in_schema=False)


def _calendar_page(
    staff: StaffPage,
    year: int,
    *,
    form: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    c = staff.page.container
    days = admin_calendar.list_calendar_days(c.admin_uow(), staff.principal, year)
    return staff.render(
        "staff/admin/calendar.html",
        {
            "year": year,
            "days": days,
            "form": {"day": "", "kind": "holiday", "note": ""} | (form or {}),
            "problems": problems or [],
        },
        status=status,
    )


def _this_year(staff: StaffPage) -> int:
    return staff.page.container.clock().year


@router.get("")
def calendar_year(staff: StaffDep, year: int | None = None) -> Response:
    chosen = year if year is not None and year in admin_calendar.YEARS else _this_year(staff)
    return _calendar_page(staff, chosen)


@router.post("")
def calendar_set(
    staff: StaffFormDep,
    day: Annotated[str, Form(max_length=40)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    _ = staff.page.gettext
    form = {"day": day.strip(), "kind": kind, "note": note.strip()}
    problems: list[Problem] = []
    chosen: date | None = None
    try:
        chosen = date.fromisoformat(form["day"])
    except ValueError:
        problems.append(Problem("day", _("Enter a date like 2027-01-01.")))
    if chosen is not None and chosen.year not in admin_calendar.YEARS:
        problems.append(Problem("day", _("Enter a date between 2000 and 2100.")))
    if kind not in KINDS:
        problems.append(Problem("kind", _("Choose holiday or working day.")))
    if len(form["note"]) > admin_calendar.MAX_NOTE:
        problems.append(Problem("note", _("At most %(n)d characters.", n=admin_calendar.MAX_NOTE)))
    year = chosen.year if chosen is not None and not problems else _this_year(staff)
    if problems or chosen is None:
        return _calendar_page(staff, year, form=form, problems=problems, status=422)
    c = staff.page.container
    admin_calendar.set_calendar_day(
        c.admin_uow(),
        staff.principal,
        chosen,
        working=kind == "workday",
        note=form["note"],
        now=c.clock(),
    )
    c.rules_changed()
    return RedirectResponse(f"{CALENDAR_PATH}?year={chosen.year}", status_code=303)


@router.post("/remove")
def calendar_remove(staff: StaffFormDep, day: Annotated[str, Form(max_length=40)] = "") -> Response:
    try:
        chosen = date.fromisoformat(day.strip())
    except ValueError:
        chosen = None
    if chosen is None:
        return _calendar_page(
            staff,
            _this_year(staff),
            problems=[Problem("day", staff.page.gettext("Enter a date like 2027-01-01."))],
            status=422,
        )
    c = staff.page.container
    admin_calendar.remove_calendar_day(c.admin_uow(), staff.principal, chosen)
    c.rules_changed()
    return RedirectResponse(f"{CALENDAR_PATH}?year={chosen.year}", status_code=303)
