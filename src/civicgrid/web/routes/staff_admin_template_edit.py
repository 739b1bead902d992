"""/staff/admin/templates/{id}/edit: revising a report template through a form.

Names, the due time and the fields (as YAML) can be edited; the code, area, level and
schedule are shown but stay. A change that would alter the stored reports (a field
removed, renamed or retyped …) is refused by the use case and shown next to the fields.
"""

from __future__ import annotations

from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Form
from starlette.responses import RedirectResponse, Response

from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.forms import FormField
from civicgrid.domain.reports import ReportTemplate
from civicgrid.domain.reports.revision import Refusal, RevisionRefused, TemplateRevision
from civicgrid.services.admin_users import check_administrator
from civicgrid.services.reports import templates
from civicgrid.web.forms import Problem
from civicgrid.web.page import Page
from civicgrid.web.routes.staff_admin_templates import (
    MAX_FIELDS_TEXT,
    TEMPLATES_PATH,
    read_due_and_fields,
    schedule_labels,
)
from civicgrid.web.staff import StaffDep, StaffFormDep, StaffPage, StaffRoute

router = APIRouter(prefix=TEMPLATES_PATH, route_class=StaffRoute, include_in_schema=False)

Text = Annotated[str, Form(max_length=400)]


def fields_yaml(fields: tuple[FormField, ...]) -> str:
    """The fields as the form's YAML, leaving out what is the default."""
    items: list[dict[str, Any]] = []
    for spec in fields:
        item = spec.as_dict()
        if not item["label_en"]:
            del item["label_en"]
        if item["required"]:
            del item["required"]
        for many in ("choices", "aggregates"):
            if not item[many]:
                del item[many]
        items.append(item)
    return yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=1000)


def _edit_page(
    staff: StaffPage,
    template: ReportTemplate,
    *,
    form: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    d = template.draft
    current = {
        "name_zh": d.name_zh,
        "name_en": d.name_en,
        "due_time": d.due_time.strftime("%H:%M"),
        "fields": fields_yaml(d.fields),
    }
    return staff.render(
        "staff/admin/template_edit.html",
        {
            "template": template,
            "form": form or current,
            "problems": problems or [],
            "schedules": schedule_labels(staff.page),
        },
        status=status,
    )


@router.get("/{template_id}/edit")
def template_edit_form(staff: StaffDep, template_id: int) -> Response:
    check_administrator(staff.principal)
    c = staff.page.container
    template = templates.get_template_to_revise(c.uow(), staff.principal, template_id)
    return _edit_page(staff, template)


@router.post("/{template_id}/edit")
def template_edit(
    staff: StaffFormDep,
    template_id: int,
    name_zh: Text = "",
    name_en: Text = "",
    due_time: Text = "",
    fields: Annotated[str, Form(max_length=MAX_FIELDS_TEXT)] = "",
) -> Response:
    check_administrator(staff.principal)
    c = staff.page.container
    template = templates.get_template_to_revise(c.uow(), staff.principal, template_id)
    form = {"name_zh": name_zh.strip(), "name_en": name_en.strip(), "due_time": due_time.strip()}
    form["fields"] = fields
    revision, problems = _read(staff.page, form)
    if revision is None:
        return _edit_page(staff, template, form=form, problems=problems, status=422)
    try:
        templates.revise_template(c.uow(), staff.principal, template_id, revision, now=c.clock())
    except InvalidInput as error:
        problem = _refusal(staff.page, error)
        return _edit_page(staff, template, form=form, problems=[problem], status=422)
    return RedirectResponse(f"{TEMPLATES_PATH}/{template_id}", status_code=303)


def _read(page: Page, form: dict[str, str]) -> tuple[TemplateRevision | None, list[Problem]]:
    _ = page.gettext
    problems: list[Problem] = []
    if not form["name_zh"]:
        problems.append(Problem("name_zh", _("The Chinese name is required.")))
    read = read_due_and_fields(page, form, problems)
    if read is None:
        return None, problems
    due, parsed = read
    revision = TemplateRevision(
        name_zh=form["name_zh"], name_en=form["name_en"], due_time=due, fields=parsed
    )
    return revision, []


def _refusal(page: Page, error: InvalidInput) -> Problem:
    _ = page.gettext
    if not isinstance(error, RevisionRefused):
        return Problem("fields", _("This could not be accepted: %(reason)s", reason=error.message))
    key = error.key
    messages = {
        Refusal.REMOVED: _(
            "Field %(key)s cannot be removed or renamed: stored reports hold it. "
            "Create a new template instead.",
            key=key,
        ),
        Refusal.RETYPED: _(
            "Field %(key)s keeps its type: stored reports hold values of that type.", key=key
        ),
        Refusal.CHOICE_REMOVED: _(
            "Field %(key)s keeps all its choices: stored reports may hold them.", key=key
        ),
        Refusal.REQUIRED: _(
            "Field %(key)s cannot become required: stored reports may lack it.", key=key
        ),
        Refusal.NEW_REQUIRED: _(
            "The new field %(key)s must be optional (required: false): stored reports lack it.",
            key=key,
        ),
    }
    fallback = _("This change would alter stored reports: %(reason)s", reason=error.message)
    return Problem("fields", messages.get(error.reason, fallback))
