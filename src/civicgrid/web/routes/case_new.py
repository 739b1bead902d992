"""/staff/cases/new: a grid worker reports a problem from the phone (photo, location)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from starlette.responses import RedirectResponse, Response

from civicgrid.domain.errors import DomainError, Forbidden
from civicgrid.services.cases.staff_files import StaffReport, report_as_staff
from civicgrid.web.case_page import case_url
from civicgrid.web.categories import category_keys
from civicgrid.web.forms import Problem, ReportForm, read_report_form
from civicgrid.web.problems import problem_of
from civicgrid.web.staff import StaffDep, StaffFormDep, StaffPage, StaffRoute
from civicgrid.web.uploads import photos_of, report_form_context

NEW_CASE_PATH = "/staff/cases/new"

router = APIRouter(route_class=StaffRoute, include_in_schema=False)

Text = Annotated[str, Form(max_length=10_000)]


@router.get(NEW_CASE_PATH)
def new_case_form(staff: StaffDep) -> Response:
    return _form_page(staff, ReportForm())


@router.post(NEW_CASE_PATH)
def report_problem(
    staff: StaffFormDep,
    category: Text = "",
    description: Text = "",
    lat: Text = "",
    lon: Text = "",
    photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Check the form, open the case as the signed-in person, show the case."""
    container = staff.page.container
    fields = {"category": category, "description": description, "lat": lat, "lon": lon}
    form = read_report_form(staff.page, fields, category_keys(container.rules.tree))
    photos = photos_of(staff.page, photo)
    point = None if form.problems else form.point
    if point is None:
        return _form_page(staff, form, status=422)
    settings = container.settings
    try:
        reported = report_as_staff(
            container.uow(),
            container.locators,
            container.rules,
            container.attachment_store,
            staff.principal,
            StaffReport(form.category, form.description, point[0], point[1], photos),
            now=container.clock(),
            snap_tolerance_m=settings.snap_tolerance_m,
            max_photo_bytes=settings.attachment_max_bytes,
            feed=container.feed,
            chains=container.area_chains,
        )
    except Forbidden:  # a spot outside the person's area: said next to the map
        message = staff.page.gettext("This spot lies outside your area of responsibility.")
        form.problems.append(Problem("lat", message))
        return _form_page(staff, form, status=422)
    except DomainError as error:
        form.problems.append(problem_of(staff.page, error))
        return _form_page(staff, form, status=422)
    return RedirectResponse(f"{case_url(reported.case.id)}?done=report", status_code=303)


def _form_page(staff: StaffPage, form: ReportForm, *, status: int = 200) -> Response:
    context = report_form_context(staff.page, form) | {"form_action": NEW_CASE_PATH}
    return staff.render("staff/case_new.html", context, status=status)
