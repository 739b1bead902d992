"""/staff/admin/categories/tree: the whole category tree, edited as the tree file's YAML.

Its router must be included before the categories router, whose /{key} would take "tree".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import RedirectResponse, Response

from civicgrid.adapters.alert_rules_file import load_rules, load_video_rules
from civicgrid.adapters.category_files import dump_category_yaml, read_category_yaml
from civicgrid.bootstrap import stored_alert_rules
from civicgrid.domain.areas.problems import ImportRejected
from civicgrid.domain.cases.categories import CategoryTree
from civicgrid.domain.errors import Conflict, InvalidInput
from civicgrid.services import admin_category_tree
from civicgrid.web.forms import Problem
from civicgrid.web.page import Page
from civicgrid.web.staff import StaffDep, StaffFormDep, StaffPage, StaffRoute

TREE_PATH = "/staff/admin/categories/tree"

router = APIRouter(prefix=TREE_PATH, route_class=StaffRoute, include_in_schema=False)


def parse_tree_text(text: str) -> CategoryTree:
    return read_category_yaml(text.encode("utf-8"), source_name="the tree")


def rule_categories(page: Page) -> set[str]:
    """The classes the alert rules in force and the video rules turn alerts into."""
    c = page.container
    path = c.settings.alert_rules_file
    rules = stored_alert_rules(c) or load_rules(path)
    named = {rule.category for rule in rules.rules if rule.category}
    return named | {video.category for video in load_video_rules(path).values()}


def _tree_page(
    staff: StaffPage,
    *,
    text: str | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    c = staff.page.container
    saved = admin_category_tree.get_category_tree(c.admin_uow(), staff.principal)
    shown = text if text is not None else dump_category_yaml(c.rules.tree)
    return staff.render(
        "staff/admin/category_tree.html",
        {"text": shown, "saved": saved, "problems": problems or []},
        status=status,
    )


@router.get("")
def tree_form(staff: StaffDep) -> Response:
    return _tree_page(staff)


@router.post("")
def tree_save(
    staff: StaffFormDep,
    text: Annotated[str, Form(max_length=admin_category_tree.MAX_TREE_TEXT)] = "",
) -> Response:
    c = staff.page.container
    gettext = staff.page.gettext
    try:
        admin_category_tree.save_category_tree(
            c.admin_uow(),
            staff.principal,
            text,
            parse=parse_tree_text,
            now=c.clock(),
            rule_categories=rule_categories(staff.page),
        )
    except ImportRejected as error:
        problems = [
            Problem("text", gettext("The tree cannot be used: %(reason)s", reason=str(p)))
            for p in error.problems
        ]
        return _tree_page(staff, text=text, problems=problems, status=422)
    except (InvalidInput, Conflict) as error:
        problem = Problem(
            "text", gettext("The tree cannot be used: %(reason)s", reason=error.message)
        )
        return _tree_page(staff, text=text, problems=[problem], status=422)
    c.rules_changed()
    return RedirectResponse(f"{TREE_PATH}?saved=1", status_code=303)
