"""/staff/admin/rules: the IoT alert rules, edited as the rules file's YAML and checked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import RedirectResponse, Response

from civicgrid.adapters.alert_rules_file import default_rules_text, parse_rules_text
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.services import admin_alert_rules
from civicgrid.web.forms import Problem
from civicgrid.web.page import Page
from civicgrid.web.staff import StaffDep, StaffFormDep, StaffPage, StaffRoute

RULES_PATH = "/staff/admin/rules"

router = APIRouter(prefix=RULES_PATH, route_class=StaffRoute, include_in_schema=False)


def file_text(page: Page) -> str:
    path = page.container.settings.alert_rules_file
    return path.read_text("utf-8") if path else default_rules_text()


def _rules_page(
    staff: StaffPage,
    *,
    text: str | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    c = staff.page.container
    saved = admin_alert_rules.get_alert_rules(c.admin_uow(), staff.principal)
    shown = text if text is not None else (saved.text if saved else file_text(staff.page))
    rules = None
    if not problems:
        try:
            rules = parse_rules_text(shown)
        except InvalidInput:
            rules = None
    return staff.render(
        "staff/admin/rules.html",
        {"text": shown, "saved": saved, "rules": rules, "problems": problems or []},
        status=status,
    )


@router.get("")
def rules_form(staff: StaffDep) -> Response:
    return _rules_page(staff)


@router.post("")
def rules_save(
    staff: StaffFormDep,
    text: Annotated[str, Form(max_length=admin_alert_rules.MAX_RULES_TEXT)] = "",
) -> Response:
    c = staff.page.container
    tree = c.rules.tree

    def is_category(key: str) -> bool:
        try:
            tree.minor(key)
        except (NotFound, InvalidInput):
            return False
        return True

    try:
        rules = admin_alert_rules.save_alert_rules(
            c.admin_uow(),
            staff.principal,
            text,
            parse=parse_rules_text,
            is_category=is_category,
            now=c.clock(),
        )
    except InvalidInput as error:
        problem = Problem(
            "text",
            staff.page.gettext("The rules cannot be used: %(reason)s", reason=error.message),
        )
        return _rules_page(staff, text=text, problems=[problem], status=422)
    c.alert_rules_changed(rules)
    return RedirectResponse(f"{RULES_PATH}?saved=1", status_code=303)
