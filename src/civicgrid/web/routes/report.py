"""/citizen/report: the citizen report form, and the receipt with the tracking code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from starlette.responses import Response

from civicgrid.domain.errors import DomainError
from civicgrid.services.case_ports import Contact
from civicgrid.services.citizens import CitizenReport, submit_citizen_report
from civicgrid.web.categories import category_keys
from civicgrid.web.forms import Problem, ReportForm, read_report_form
from civicgrid.web.guard import form_token, keep_nonce, refuse_forgery, token_is_valid
from civicgrid.web.page import Page, PageDep
from civicgrid.web.problems import problem_of
from civicgrid.web.uploads import photos_of, report_form_context

REPORT_PATH = "/citizen/report"

router = APIRouter(include_in_schema=False)

TextField = Annotated[str, Form(max_length=10_000)]  # generous; the form check names limits


@router.get(REPORT_PATH)
def report_form(page: PageDep) -> Response:
    """The empty form."""
    return _form_page(page, ReportForm())


@router.post(REPORT_PATH)
def submit_report(
    page: PageDep,
    csrf_token: TextField = "",
    category: TextField = "",
    description: TextField = "",
    lat: TextField = "",
    lon: TextField = "",
    name: TextField = "",
    phone: TextField = "",
    email: TextField = "",
    photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Check the form; open the case; show the tracking code once."""
    if not token_is_valid(page, csrf_token):
        return refuse_forgery(page)
    rules = page.container.rules
    fields = {
        "category": category, "description": description, "lat": lat, "lon": lon,
        "name": name, "phone": phone, "email": email,
    }  # fmt: skip
    form = read_report_form(page, fields, category_keys(rules.tree))
    photos = photos_of(page, photo)
    if form.problems:
        return _form_page(page, form, status=422)
    point = form.point
    assert point is not None  # noqa: S101 - read_report_form requires one
    settings = page.container.settings
    try:
        receipt = submit_citizen_report(
            page.container.uow(),
            page.container.locators,
            rules,
            page.container.attachment_store,
            CitizenReport(
                category=form.category,
                description=form.description,
                lat=point[0],
                lon=point[1],
                contact=Contact(name=form.name, phone=form.phone, email=form.email),
                photos=photos,
            ),
            now=page.container.clock(),
            snap_tolerance_m=settings.snap_tolerance_m,
            max_photo_bytes=settings.attachment_max_bytes,
            feed=page.container.feed,
            intake=page.container.open_public,
        )
    except DomainError as error:
        form.problems.append(problem_of(page, error))
        return _form_page(page, form, status=422)
    code = receipt.tracking_code or ""
    track_url = f"/citizen/track/{code}"
    # Switching language here goes to the tracking page: re-posting would file it again.
    context = {"code": code, "track_url": track_url, "switch_path": track_url}
    return page.render("reported.html", context)


def _form_page(page: Page, form: ReportForm, *, status: int = 200) -> Response:
    nonce, token = form_token(page)
    context = report_form_context(page, form) | {"csrf_token": token}
    response = page.render("report.html", context, status=status)
    return keep_nonce(page, response, nonce)


__all__ = ["REPORT_PATH", "Problem", "router"]
