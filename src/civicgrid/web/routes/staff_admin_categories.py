"""/staff/admin/categories: the category tree, and each minor class's rules as a form."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import RedirectResponse, Response

from civicgrid.adapters.live_rules import LiveCaseRules
from civicgrid.domain.cases.categories import CategoryKind, CategoryTree
from civicgrid.domain.cases.categories.edits import CategoryEdit
from civicgrid.domain.errors import InvalidInput
from civicgrid.services import admin_categories
from civicgrid.services.admin_users import check_administrator
from civicgrid.web.forms import Problem
from civicgrid.web.page import Page
from civicgrid.web.routes.staff_admin_forms import (
    CATEGORY_FIELDS,
    category_values,
    read_category_form,
    unit_labels,
)
from civicgrid.web.staff import StaffDep, StaffFormDep, StaffPage, StaffRoute

CATEGORIES_PATH = "/staff/admin/categories"

router = APIRouter(prefix=CATEGORIES_PATH, route_class=StaffRoute, include_in_schema=False)

Field = Annotated[str, Form(max_length=2000)]


def file_tree(page: Page) -> CategoryTree:
    """The tree the edits apply to: the file's, before anyone's edit."""
    rules = page.container.rules
    return rules.file_tree() if isinstance(rules, LiveCaseRules) else rules.tree


@router.get("")
def categories_tree(staff: StaffDep) -> Response:
    c = staff.page.container
    edits = admin_categories.list_category_edits(c.admin_uow(), staff.principal)
    tree = c.rules.tree
    return staff.render(
        "staff/admin/categories.html",
        {
            "kinds": [(kind, tree.majors(kind)) for kind in CategoryKind],
            "edits": edits,
            "units": unit_labels(staff.page),
            "departments": {d.code: d for d in tree.departments},
        },
    )


def _category_page(
    staff: StaffPage,
    key: str,
    *,
    values: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    c = staff.page.container
    check_administrator(staff.principal)
    tree: CategoryTree = c.rules.tree
    minor = tree.minor(key)  # NotFound → 404
    edits = admin_categories.list_category_edits(c.admin_uow(), staff.principal)
    return staff.render(
        "staff/admin/category.html",
        {
            "minor": minor,
            "major": tree.major_of(minor),
            "values": values or category_values(CategoryEdit.of(minor)),
            "problems": problems or [],
            "units": unit_labels(staff.page),
            "departments": tree.departments,
            "stored": edits.get(minor.key),
        },
        status=status,
    )


@router.get("/{key}")
def category_form(staff: StaffDep, key: str) -> Response:
    return _category_page(staff, key[:40])


@router.post("/{key}")
def category_save(
    staff: StaffFormDep,
    key: str,
    limit_value: Field = "",
    limit_unit: Field = "",
    filing_zh: Field = "",
    filing_en: Field = "",
    closing_zh: Field = "",
    closing_en: Field = "",
    department: Field = "",
    duplicate_radius_m: Field = "",
    duplicate_window_h: Field = "",
) -> Response:
    c = staff.page.container
    check_administrator(staff.principal)
    minor = c.rules.tree.minor(key[:40])
    given = (
        limit_value,
        limit_unit,
        filing_zh,
        filing_en,
        closing_zh,
        closing_en,
        department,
        duplicate_radius_m,
        duplicate_window_h,
    )
    values = {name: text.strip() for name, text in zip(CATEGORY_FIELDS, given, strict=True)}
    tree = file_tree(staff.page)
    edit, problems = read_category_form(staff.page, minor.key, values, tree)
    if edit is None:
        return _category_page(staff, minor.key, values=values, problems=problems, status=422)
    try:
        admin_categories.edit_category(c.admin_uow(), staff.principal, tree, edit, now=c.clock())
    except InvalidInput as error:
        problem = Problem(
            error.field or "problems",
            staff.page.gettext("This could not be accepted: %(reason)s", reason=error.message),
        )
        return _category_page(staff, minor.key, values=values, problems=[problem], status=422)
    c.rules_changed()
    return RedirectResponse(f"{CATEGORIES_PATH}/{minor.key}?saved=1", status_code=303)


@router.post("/{key}/reset")
def category_reset(staff: StaffFormDep, key: str) -> Response:
    c = staff.page.container
    admin_categories.reset_category(c.admin_uow(), staff.principal, key[:40])
    c.rules_changed()
    return RedirectResponse(f"{CATEGORIES_PATH}/{key[:40]}", status_code=303)
