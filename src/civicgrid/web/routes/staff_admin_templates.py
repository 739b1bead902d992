"""/staff/admin/templates: report templates listed, shown, and created through a form.

A template's fields are written as YAML, the format of the packaged templates
(data/reports/), so an administrator can paste one and adapt it.
"""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Form
from starlette.responses import RedirectResponse, Response

from civicgrid.domain.areas import Level
from civicgrid.domain.errors import DomainError, Forbidden, InvalidInput
from civicgrid.domain.forms import Form as Fields
from civicgrid.domain.forms import parse_form
from civicgrid.domain.reports import Schedule, TemplateDraft
from civicgrid.domain.reports.template import CODE
from civicgrid.services.admin_users import check_administrator
from civicgrid.services.reports import templates
from civicgrid.web.forms import Problem
from civicgrid.web.page import Page
from civicgrid.web.staff import StaffDep, StaffFormDep, StaffPage, StaffRoute

TEMPLATES_PATH = "/staff/admin/templates"
MAX_FIELDS_TEXT = 20_000
EXAMPLE_FIELDS = """- key: points_checked
  type: number
  label_zh: 已排查点位数
  label_en: Points checked
  aggregates: [sum]
- key: remarks
  type: text
  label_zh: 情况说明
  label_en: Remarks
  required: false
"""
SUBMITTER_LEVELS = (Level.DISTRICT, Level.STREET, Level.COMMUNITY, Level.GRID, Level.MICRO_GRID)
FORM_KEYS = ("code", "name_zh", "name_en", "area_code", "level", "schedule", "due_time", "fields")

router = APIRouter(prefix=TEMPLATES_PATH, route_class=StaffRoute, include_in_schema=False)

Text = Annotated[str, Form(max_length=400)]


def _list_page(
    staff: StaffPage,
    *,
    form: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    check_administrator(staff.principal)
    c = staff.page.container
    found = templates.list_templates(c.uow(), staff.principal)
    blank = dict.fromkeys(FORM_KEYS, "") | {
        "level": Level.COMMUNITY.slug,
        "schedule": Schedule.DAILY.value,
        "due_time": "18:00",
        "fields": EXAMPLE_FIELDS,
    }
    return staff.render(
        "staff/admin/templates.html",
        {
            "templates": found,
            "form": blank | (form or {}),
            "problems": problems or [],
            "levels": SUBMITTER_LEVELS,
            "schedules": schedule_labels(staff.page),
        },
        status=status,
    )


def schedule_labels(page: Page) -> dict[str, str]:
    _ = page.gettext
    return {
        Schedule.DAILY.value: _("Daily"),
        Schedule.WEEKLY.value: _("Weekly"),
        Schedule.AD_HOC.value: _("When asked"),
    }


@router.get("")
def templates_list(staff: StaffDep) -> Response:
    return _list_page(staff)


@router.get("/{template_id}")
def template_detail(staff: StaffDep, template_id: int) -> Response:
    check_administrator(staff.principal)
    c = staff.page.container
    template = templates.get_template(c.uow(), staff.principal, template_id)
    return staff.render(
        "staff/admin/template.html",
        {"template": template, "schedules": schedule_labels(staff.page)},
    )


@router.post("")
def template_create(
    staff: StaffFormDep,
    code: Text = "",
    name_zh: Text = "",
    name_en: Text = "",
    area_code: Text = "",
    level: Text = "",
    schedule: Text = "",
    due_time: Text = "",
    fields: Annotated[str, Form(max_length=MAX_FIELDS_TEXT)] = "",
) -> Response:
    check_administrator(staff.principal)
    given = (code, name_zh, name_en, area_code, level, schedule, due_time, fields)
    form = {key: value.strip() for key, value in zip(FORM_KEYS, given, strict=True)}
    draft, problems = read_template_form(staff.page, form)
    if draft is None:
        return _list_page(staff, form=form, problems=problems, status=422)
    c = staff.page.container
    try:
        created = templates.create_template(
            c.uow(), staff.principal, draft, form["area_code"], now=c.clock()
        )
    except Forbidden:
        raise
    except DomainError as error:
        problem = _refusal(staff.page, error)
        return _list_page(staff, form=form, problems=[problem], status=422)
    return RedirectResponse(f"{TEMPLATES_PATH}/{created.id}", status_code=303)


def read_template_form(
    page: Page, form: dict[str, str]
) -> tuple[TemplateDraft | None, list[Problem]]:
    _ = page.gettext
    problems: list[Problem] = []
    if not CODE.match(form["code"]):
        problems.append(
            Problem("code", _("A code has lower-case letters, digits and -, e.g. flood-daily."))
        )
    if not form["name_zh"]:
        problems.append(Problem("name_zh", _("The Chinese name is required.")))
    if not form["area_code"].isdigit():
        problems.append(Problem("area_code", _("Enter the code of an area, e.g. 410105.")))
    levels = {lv.slug: lv for lv in SUBMITTER_LEVELS}
    if form["level"] not in levels:
        problems.append(Problem("level", _("Choose a level from the list.")))
    if form["schedule"] not in {s.value for s in Schedule}:
        problems.append(Problem("schedule", _("Choose a schedule from the list.")))
    read = read_due_and_fields(page, form, problems)
    if read is None:
        return None, problems
    due, parsed = read
    draft = TemplateDraft(
        code=form["code"],
        name_zh=form["name_zh"],
        name_en=form["name_en"],
        submitter_level=levels[form["level"]],
        schedule=Schedule(form["schedule"]),
        due_time=due,
        fields=parsed,
    )
    return draft, []


def read_due_and_fields(
    page: Page, form: dict[str, str], problems: list[Problem]
) -> tuple[time, Fields] | None:
    """The due time and the fields of a template's form, for creating and for revising;
    None once `problems` (appended to) holds any."""
    due: time | None = None
    try:
        due = time.fromisoformat(form["due_time"])
    except ValueError:
        problems.append(Problem("due_time", page.gettext("Enter a time of day like 18:00.")))
    parsed = read_fields(page, form["fields"], problems)
    if problems or due is None or parsed is None:
        return None
    return due, parsed


def read_fields(page: Page, text: str, problems: list[Problem]) -> Fields | None:
    _ = page.gettext
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        problems.append(Problem("fields", _("The fields are not valid YAML.")))
        return None
    if not isinstance(data, list) or not data:
        problems.append(Problem("fields", _("List at least one field, as in the example.")))
        return None
    if not all(isinstance(item, dict) for item in data):
        problems.append(
            Problem("fields", _("Each field is a mapping with key, type and label_zh."))
        )
        return None
    try:
        return parse_form(data, where="fields")
    except InvalidInput as error:
        problems.append(
            Problem("fields", _("The fields are not right: %(reason)s", reason=error.message))
        )
        return None


def _refusal(page: Page, error: DomainError) -> Problem:
    _ = page.gettext
    if error.field == "code":
        return Problem("code", _("A template with this code exists already."))
    if error.field == "area_code":
        return Problem("area_code", _("No area has this code."))
    if error.field == "submitter_level":
        return Problem("level", _("No unit of this level lies below the area."))
    return Problem(
        error.field or "problems", _("This could not be accepted: %(reason)s", reason=error.message)
    )
