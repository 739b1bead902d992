"""/staff/reports: reports due for my units, filling one in (信息直报), and for the levels
above, the aggregate with "N of M reported" and the missing list, drilled down by area."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from civicgrid.domain.errors import Forbidden, InvalidInput
from civicgrid.domain.forms import FieldType
from civicgrid.domain.forms import Form as TypedForm
from civicgrid.services.areas import get_area
from civicgrid.services.reports.aggregating import get_aggregate, list_missing
from civicgrid.services.reports.board import (
    access_template_page,
    list_report_board,
    may_remind,
    period_for,
)
from civicgrid.services.reports.reminding import remind_missing
from civicgrid.services.reports.submitting import list_versions, submit_report
from civicgrid.services.reports.urgent import MAX_BODY as MAX_URGENT_BODY
from civicgrid.services.reports.urgent import MAX_TITLE as MAX_URGENT_TITLE
from civicgrid.services.reports.urgent import send_urgent_report
from civicgrid.services.reports.urgent_board import get_urgent_page, list_reporting_units
from civicgrid.web.forms import Problem
from civicgrid.web.guard import refuse_forgery
from civicgrid.web.staff import StaffDep, StaffFormDep, StaffPage, StaffRoute
from civicgrid.web.typed_answers import (
    Answer,
    Posted,
    problem_of_answer,
    read_posted,
    read_posted_answer,
)

PREFIX = "/staff/reports"
SUBMIT_PATH = f"{PREFIX}/submit"  # takes photos: the app gives it the upload body limit
MISSING_PAGE = 50

router = APIRouter(prefix=PREFIX, route_class=StaffRoute, include_in_schema=False)

TemplateId = Annotated[int, Path(ge=1, le=2**31 - 1)]
UnitCode = Annotated[str, Path(min_length=6, max_length=17, pattern=r"^\d+$")]
AtCode = Annotated[str | None, Query(min_length=6, max_length=17, pattern=r"^\d+$")]
PeriodQuery = Annotated[str | None, Query(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9-]+$")]


@router.get("")
def report_board(staff: StaffDep) -> Response:
    container = staff.page.container
    boards = list_report_board(
        container.uow(), staff.principal, now=container.clock(), zone=container.settings.zone
    )
    return staff.render("staff/reports/list.html", {"boards": boards})


@router.get("/urgent")
def urgent_form(staff: StaffDep) -> Response:
    """急报: skips every schedule, to every level above the unit at once."""
    return _urgent_page(staff, {}, [])


def _urgent_page(
    staff: StaffPage, fields: dict[str, str], problems: list[Problem], *, status: int = 200
) -> Response:
    units = list_reporting_units(staff.page.container.uow(), staff.principal)
    if not units:
        raise Forbidden(f"{staff.principal.username} works in no unit to report from")
    return staff.render(
        "staff/reports/urgent_new.html",
        {"units": units, "fields": fields, "problems": problems},
        status=status,
    )


@router.post("/urgent")
def send_urgent(
    staff: StaffFormDep,
    unit: Annotated[str, Form(max_length=20)] = "",
    title: Annotated[str, Form(max_length=1000)] = "",
    body: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    fields = {"unit": unit, "title": title.strip(), "body": body.strip()}
    _ = staff.page.gettext
    if not fields["title"] or len(fields["title"]) > MAX_URGENT_TITLE:
        problem = Problem(
            "title", _("Give a title of at most %(n)s characters.", n=MAX_URGENT_TITLE)
        )
        return _urgent_page(staff, fields, [problem], status=422)
    if len(fields["body"]) > MAX_URGENT_BODY:
        problem = Problem("body", _("Say it in at most %(n)s characters.", n=MAX_URGENT_BODY))
        return _urgent_page(staff, fields, [problem], status=422)
    container = staff.page.container
    sent = send_urgent_report(
        container.uow(),
        staff.principal,
        unit,
        fields["title"],
        fields["body"],
        now=container.clock(),
        feed=container.feed,
    )
    return RedirectResponse(f"{PREFIX}/urgent/{sent.report.id}", status_code=303)


@router.get("/urgent/{urgent_id}")
def urgent_report(staff: StaffDep, urgent_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> Response:
    """The report, the levels it reached and who at each has read it."""
    found = get_urgent_page(staff.page.container.uow(), staff.principal, urgent_id)
    return staff.render("staff/reports/urgent.html", {"found": found})


@router.get("/{template_id}")
def aggregate(
    staff: StaffDep,
    template_id: TemplateId,
    at: AtCode = None,
    period: PeriodQuery = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    reminded: Annotated[str | None, Query(max_length=10, pattern=r"^(\d+|already)$")] = None,
) -> Response:
    """The aggregate at `at` and per child area (each a link one level down), and the
    units below it that have not reported."""
    container = staff.page.container
    now, zone = container.clock(), container.settings.zone
    template = access_template_page(container.uow(), staff.principal, template_id)
    label = period or period_for(template, now, zone)
    found = get_aggregate(
        container.uow(), staff.principal, template_id, period=label, at=at, now=now, zone=zone
    )
    _, missing = list_missing(
        container.uow(),
        staff.principal,
        template_id,
        period=label,
        at=found.node.code,
        now=now,
        zone=zone,
        page=page,
        page_size=MISSING_PAGE,
    )
    return staff.render(
        "staff/reports/aggregate.html",
        {
            "found": found,
            "template": template,
            "missing": missing,
            "page_number": page,
            "page_size": MISSING_PAGE,
            "reminded": reminded,
            "may_remind": may_remind(staff.principal, template),
        },
    )


@router.post("/{template_id}/remind")
def remind(
    staff: StaffFormDep,
    template_id: TemplateId,
    period: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """催报: remind every unit missing for the period (once per period)."""
    container = staff.page.container
    count = remind_missing(
        container.uow(),
        staff.principal,
        template_id,
        period=period or None,
        now=container.clock(),
        zone=container.settings.zone,
    )
    told = "already" if count is None else str(count)
    query = urlencode({"period": period, "reminded": told} if period else {"reminded": told})
    return RedirectResponse(f"{PREFIX}/{template_id}?{query}", status_code=303)


def _fill_page(
    staff: StaffPage,
    template_id: int,
    code: str,
    period: str | None,
    *,
    answer: Answer | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
    sent: int | None = None,
) -> Response:
    container = staff.page.container
    template = access_template_page(container.uow(), staff.principal, template_id)
    label = period or period_for(template, container.clock(), container.settings.zone)
    area = get_area(container.uow(), staff.principal, code, with_geometry=False)
    versions = list_versions(container.uow(), staff.principal, template_id, code, label)
    shown = answer.shown if answer else {}
    if answer is None and versions:  # a correction starts from what was sent
        shown = _shown(template.draft.fields, versions[-1].values)
    return staff.render(
        "staff/reports/fill.html",
        {
            "template": template,
            "area": area,
            "period": label,
            "versions": versions,
            "shown": shown,
            "problems": problems or [],
            "submit_path": SUBMIT_PATH,
            "sent": sent,
        },
        status=status,
    )


def _shown(form: TypedForm, values: dict[str, Any]) -> dict[str, str]:
    """A stored answer as the form's inputs show it (photos are not sent again)."""
    shown: dict[str, str] = {}
    for spec in form:
        value = values.get(spec.key)
        name = f"f_{spec.key}"
        if value is None or spec.type is FieldType.PHOTO:
            continue
        if spec.type is FieldType.LOCATION and isinstance(value, dict):
            shown[name + "_lat"], shown[name + "_lon"] = str(value["lat"]), str(value["lon"])
        elif spec.type is FieldType.YES_NO:
            shown[name] = "yes" if value else "no"
        elif spec.type is FieldType.NUMBER and isinstance(value, float):
            shown[name] = f"{value:g}"
        else:
            shown[name] = str(value)
    return shown


@router.get("/{template_id}/units/{code}")
def fill(
    staff: StaffDep,
    template_id: TemplateId,
    code: UnitCode,
    period: PeriodQuery = None,
    sent: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> Response:
    """Today's report of a unit, a form generated from the template's fields."""
    return _fill_page(staff, template_id, code, period, sent=sent)


@router.post("/submit")
async def submit(request: Request, staff: StaffDep) -> Response:
    posted = await read_posted(request)
    return await run_in_threadpool(_submit, staff, posted)


def _submit(staff: StaffPage, posted: Posted) -> Response:
    if not staff.form_is_genuine(posted.text("csrf_token", 200)):
        return refuse_forgery(staff.page)
    template_text, code = posted.text("template_id", 12), posted.text("unit", 20)
    period = posted.text("period", 20) or None
    if not template_text.isdigit() or not code.isdigit():
        raise InvalidInput("the form names no template and unit", field="unit")
    template_id = int(template_text)
    container = staff.page.container
    template = access_template_page(container.uow(), staff.principal, template_id)
    form = template.draft.fields
    answer = read_posted_answer(staff.page, staff.principal, form, posted)
    if answer.problems:
        return _fill_page(
            staff, template_id, code, period, answer=answer, problems=answer.problems, status=422
        )
    try:
        submission = submit_report(
            container.uow(),
            staff.principal,
            template_id,
            code,
            answer.values,
            now=container.clock(),
            zone=container.settings.zone,
            period=period,
            feed=container.feed,
        )
    except InvalidInput as error:
        problem = problem_of_answer(staff.page, form, error)
        return _fill_page(
            staff, template_id, code, period, answer=answer, problems=[problem], status=422
        )
    query = f"period={submission.period}&sent={submission.version}"
    return RedirectResponse(f"{PREFIX}/{template_id}/units/{code}?{query}", status_code=303)
