"""The category tree's consistency rules: every problem, located by its path in the tree."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from civicgrid.domain.areas.problems import Problem
from civicgrid.domain.calendar import TimeLimit
from civicgrid.domain.cases.categories.classes import (
    CategoryKind,
    Department,
    MajorClass,
    MinorClass,
)
from civicgrid.domain.cases.categories.step_limits import (
    STEPS_WITH_DEFAULTS,
    StageDefaults,
    StageOverrides,
    limit_value_problem,
)

if TYPE_CHECKING:  # the tree runs these checks when it is built
    from civicgrid.domain.cases.categories.tree import CategoryTree

MAX_DUPLICATE_RADIUS_M = 10_000
MAX_DUPLICATE_WINDOW_H = 24 * 366
_MAJOR_CODE = re.compile(r"[0-9]{2}")
_MINOR_CODE = re.compile(r"[0-9]{4}")
_DEPARTMENT_CODE = re.compile(r"[a-z][a-z0-9_]{1,39}")


def tree_problems(tree: CategoryTree) -> list[Problem]:
    """Every inconsistency in a tree, located by its path (`events[2].minors[0]`)."""
    problems = [
        Problem("stage_limits", field, message)
        for field, message in _limit_problems(_step_limits(tree.stage_limits))
    ]
    departments = _department_problems(tree.departments, problems)
    for kind in CategoryKind:
        _kind_problems(kind, tree.majors(kind), departments, problems)
    if not tree.components and not tree.events:
        problems.append(Problem("file", None, "the tree has no classes"))
    return problems


def _step_limits(limits: StageDefaults | StageOverrides) -> list[tuple[str, TimeLimit]]:
    return [(s.value, limit) for s in STEPS_WITH_DEFAULTS if (limit := limits.get(s)) is not None]


def _limit_problems(limits: Sequence[tuple[str, TimeLimit]]) -> list[tuple[str, str]]:
    """(field, message) for each limit whose value breaks the tree's rule."""
    return [
        (f"{name}.value", message)
        for name, limit in limits
        if (message := limit_value_problem(limit.value)) is not None
    ]


def _department_problems(departments: Sequence[Department], problems: list[Problem]) -> set[str]:
    seen: dict[str, str] = {}
    for index, department in enumerate(departments):
        where = f"departments[{index}]"
        if not _DEPARTMENT_CODE.fullmatch(department.code):
            message = "must be 2-40 lowercase letters, digits or _, starting with a letter"
            problems.append(Problem(where, "code", f"{message}, got {department.code!r}"))
        elif (first := seen.setdefault(department.code, where)) != where:
            problems.append(Problem(where, "code", f"{department.code} is also at {first}"))
        if not department.name_zh.strip():
            problems.append(Problem(where, "name_zh", "is required"))
    return set(seen)


def _kind_problems(
    kind: CategoryKind,
    majors: Sequence[MajorClass],
    departments: set[str],
    problems: list[Problem],
) -> None:
    seen: dict[str, str] = {}

    def note(where: str, field: str | None, message: str) -> None:
        problems.append(Problem(where, field, message))

    def check_code(where: str, code: str, pattern: re.Pattern[str], size: str) -> None:
        if not pattern.fullmatch(code):
            note(where, "code", f"must be {size} digits, got {code!r}")
        elif (first := seen.setdefault(code, where)) != where:
            note(where, "code", f"{kind.value} code {code} is also used at {first}")

    for i, major in enumerate(majors):
        where = f"{kind.plural}[{i}]"
        check_code(where, major.code, _MAJOR_CODE, "two")
        if major.kind is not kind:
            note(where, "kind", f"a {major.kind.value} class is listed among the {kind.plural}")
        if not major.name_zh.strip():
            note(where, "name_zh", "is required")
        if not major.minors:
            note(where, "minors", "a major class needs at least one minor class")
        for j, minor in enumerate(major.minors):
            at = f"{where}.minors[{j}]"
            check_code(at, minor.code, _MINOR_CODE, "four")
            # A malformed major code was reported already; its minors are not measured by it.
            prefix_ok = _MAJOR_CODE.fullmatch(major.code) is None or minor.major_code == major.code
            if _MINOR_CODE.fullmatch(minor.code) and not prefix_ok:
                note(at, "code", f"{minor.code} does not start with its major code {major.code}")
            for message in _minor_problems(minor, kind, departments):
                note(at, *message)


def _minor_problems(
    minor: MinorClass, kind: CategoryKind, departments: set[str]
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if minor.kind is not kind:
        problems.append(("kind", f"a {minor.kind.value} class is listed among the {kind.plural}"))
    for name, text in (
        ("name_zh", minor.name_zh),
        ("filing_condition.zh", minor.filing_condition.zh),
        ("closing_condition.zh", minor.closing_condition.zh),
    ):
        if not text.strip():
            problems.append((name, "is required"))
    if minor.department not in departments:
        near = difflib.get_close_matches(minor.department, sorted(departments), 1, 0.6)
        hint = f"; did you mean {near[0]}?" if near else ""
        message = f"{minor.department!r} is not one of the tree's departments{hint}"
        problems.append(("department", message))
    for name, value, top in (
        ("duplicate_radius_m", minor.duplicate_radius_m, MAX_DUPLICATE_RADIUS_M),
        ("duplicate_window_h", minor.duplicate_window_h, MAX_DUPLICATE_WINDOW_H),
    ):
        if not 0 <= value <= top:
            problems.append((name, f"must be 0 to {top}, got {value}"))
    own = [(f"stage_limits.{name}", limit) for name, limit in _step_limits(minor.stage_limits)]
    problems.extend(_limit_problems([("limit", minor.limit), *own]))
    return problems
