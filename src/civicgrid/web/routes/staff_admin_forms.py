"""The administration forms' words: role and unit names, and refusals as problems."""

from __future__ import annotations

from civicgrid.domain.access import Role
from civicgrid.domain.calendar import LimitUnit, TimeLimit
from civicgrid.domain.cases.categories import (
    MAX_DUPLICATE_RADIUS_M,
    MAX_DUPLICATE_WINDOW_H,
    MAX_LIMIT_VALUE,
    CategoryTree,
    Text,
)
from civicgrid.domain.cases.categories.edits import MAX_CONDITION, CategoryEdit
from civicgrid.domain.errors import DomainError
from civicgrid.services.users import MIN_PASSWORD_LENGTH
from civicgrid.web.forms import Problem
from civicgrid.web.page import Page

_ROLE_EN = {
    Role.GRID_WORKER: "Grid worker",
    Role.COMMUNITY_OFFICER: "Community officer",
    Role.STREET_OFFICER: "Street officer",
    Role.DISTRICT_OFFICER: "District officer",
    Role.DEPARTMENT_HANDLER: "Department handler",
    Role.CASE_ACCEPTOR: "Case acceptor",
    Role.SHIFT_LEADER: "Shift leader",
    Role.DISPATCHER: "Dispatcher",
    Role.LEADER: "Leader",
    Role.CITY_ADMIN: "City administrator",
}


def role_label(page: Page, role: Role) -> str:
    return page.name(role.name_zh, _ROLE_EN.get(role, role.value))


def unit_labels(page: Page) -> dict[str, str]:
    _ = page.gettext
    return {
        LimitUnit.WORKING_HOURS.value: _("working hours"),
        LimitUnit.WORKING_DAYS.value: _("working days"),
        LimitUnit.MINUTES.value: _("minutes"),
        LimitUnit.HOURS.value: _("hours"),
        LimitUnit.DAYS.value: _("days"),
    }


def user_problem(page: Page, error: DomainError) -> Problem:
    """A refusal of the user and grant forms, next to its field, in the page's language."""
    _ = page.gettext
    field = error.field or "problems"
    if field == "username" and "exists" in error.message:
        return Problem("username", _("This user name is taken already."))
    if field == "username":
        return Problem(
            "username", _("A user name has 3 to 64 letters, digits or the signs . _ @ -.")
        )
    if field == "password":
        return Problem(
            "password",
            _("A password has at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
        )
    if field == "display_name":
        return Problem("display_name", _("The display name is too long (at most 200)."))
    if field == "area_code" and "no area" in error.message:
        return Problem("area_code", _("No area has this code."))
    if field == "area_code":
        return Problem("area_code", _("This role is not granted at an area of this level."))
    if field == "department":
        return Problem(
            "department",
            _("Only a department handler has a department, and a handler needs one."),
        )
    return Problem(field, _("This could not be accepted: %(reason)s", reason=error.message))


CATEGORY_FIELDS = (
    "limit_value",
    "limit_unit",
    "filing_zh",
    "filing_en",
    "closing_zh",
    "closing_en",
    "department",
    "duplicate_radius_m",
    "duplicate_window_h",
)


def category_values(edit: CategoryEdit) -> dict[str, str]:
    """A class's values as the form shows them."""
    return {
        "limit_value": f"{edit.limit.value:g}",
        "limit_unit": edit.limit.unit.value,
        "filing_zh": edit.filing_condition.zh,
        "filing_en": edit.filing_condition.en,
        "closing_zh": edit.closing_condition.zh,
        "closing_en": edit.closing_condition.en,
        "department": edit.department,
        "duplicate_radius_m": str(edit.duplicate_radius_m),
        "duplicate_window_h": str(edit.duplicate_window_h),
    }


def read_category_form(
    page: Page, key: str, values: dict[str, str], tree: CategoryTree
) -> tuple[CategoryEdit | None, list[Problem]]:
    """The edit the form asks for, or the problems, each named in the page's language."""
    _ = page.gettext
    problems: list[Problem] = []

    def whole(name: str, low: int, high: int) -> int:
        text = values[name]
        if not text.isdigit() or not low <= int(text) <= high:
            problems.append(
                Problem(
                    name, _("Enter a whole number from %(low)d to %(high)d.", low=low, high=high)
                )
            )
            return low
        return int(text)

    limit = whole("limit_value", 1, MAX_LIMIT_VALUE)
    if values["limit_unit"] not in {unit.value for unit in LimitUnit}:
        problems.append(Problem("limit_unit", _("Choose a unit from the list.")))
    for name in ("filing_zh", "closing_zh"):
        if not values[name]:
            problems.append(Problem(name, _("This condition is required in Chinese.")))
    for name in ("filing_zh", "filing_en", "closing_zh", "closing_en"):
        if len(values[name]) > MAX_CONDITION:
            problems.append(Problem(name, _("At most %(n)d characters.", n=MAX_CONDITION)))
    if values["department"] not in {d.code for d in tree.departments}:
        problems.append(Problem("department", _("Choose a department from the list.")))
    radius = whole("duplicate_radius_m", 0, MAX_DUPLICATE_RADIUS_M)
    window = whole("duplicate_window_h", 0, MAX_DUPLICATE_WINDOW_H)
    if problems:
        return None, problems
    edit = CategoryEdit(
        key=key,
        limit=TimeLimit(limit, LimitUnit(values["limit_unit"])),
        filing_condition=Text(values["filing_zh"], values["filing_en"]),
        closing_condition=Text(values["closing_zh"], values["closing_en"]),
        department=values["department"],
        duplicate_radius_m=radius,
        duplicate_window_h=window,
    )
    return edit, []
