"""An administrator's edit of a minor class: its limit, conditions, department and
duplicate rules, checked against the tree it applies to and merged into it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from civicgrid.domain.areas.problems import ImportRejected
from civicgrid.domain.calendar import TimeLimit
from civicgrid.domain.cases.categories.checks import (
    MAX_DUPLICATE_RADIUS_M,
    MAX_DUPLICATE_WINDOW_H,
)
from civicgrid.domain.cases.categories.classes import MajorClass, MinorClass, Text
from civicgrid.domain.cases.categories.step_limits import limit_value_problem
from civicgrid.domain.cases.categories.tree import CategoryTree

MAX_CONDITION = 500


@dataclass(frozen=True, slots=True)
class CategoryEdit:
    key: str  # the minor class's "event:0101"
    limit: TimeLimit
    filing_condition: Text
    closing_condition: Text
    department: str
    duplicate_radius_m: int
    duplicate_window_h: int

    @classmethod
    def of(cls, minor: MinorClass) -> CategoryEdit:
        """The class's values as they stand: the form's starting point."""
        return cls(
            key=minor.key,
            limit=minor.limit,
            filing_condition=minor.filing_condition,
            closing_condition=minor.closing_condition,
            department=minor.department,
            duplicate_radius_m=minor.duplicate_radius_m,
            duplicate_window_h=minor.duplicate_window_h,
        )


def edit_problems(tree: CategoryTree, edit: CategoryEdit) -> list[tuple[str, str]]:
    """(field, message) for every value the tree would refuse; empty when it fits."""
    problems: list[tuple[str, str]] = []
    if (message := limit_value_problem(edit.limit.value)) is not None:
        problems.append(("limit_value", message))
    for name, text in (
        ("filing_zh", edit.filing_condition.zh),
        ("filing_en", edit.filing_condition.en),
        ("closing_zh", edit.closing_condition.zh),
        ("closing_en", edit.closing_condition.en),
    ):
        if name.endswith("_zh") and not text.strip():
            problems.append((name, "is required"))
        if len(text) > MAX_CONDITION:
            problems.append((name, f"has {len(text)} characters; at most {MAX_CONDITION}"))
    if edit.department not in {d.code for d in tree.departments}:
        problems.append(("department", f"{edit.department!r} is not one of the departments"))
    for name, value, top in (
        ("duplicate_radius_m", edit.duplicate_radius_m, MAX_DUPLICATE_RADIUS_M),
        ("duplicate_window_h", edit.duplicate_window_h, MAX_DUPLICATE_WINDOW_H),
    ):
        if not 0 <= value <= top:
            problems.append((name, f"must be 0 to {top}, got {value}"))
    return problems


def apply_edits(tree: CategoryTree, edits: Iterable[CategoryEdit]) -> CategoryTree:
    """The tree with each edit's class replaced; edits of classes the tree lacks are
    left out (the file may have dropped them). Raises ImportRejected when the result
    breaks a rule of the tree."""
    by_key = {edit.key: edit for edit in edits}
    if not by_key:
        return tree

    def major(m: MajorClass) -> MajorClass:
        return replace(m, minors=tuple(_edited(minor, by_key.get(minor.key)) for minor in m.minors))

    return CategoryTree(
        departments=tree.departments,
        components=tuple(major(m) for m in tree.components),
        events=tuple(major(m) for m in tree.events),
        stage_limits=tree.stage_limits,
    )


def apply_edits_leniently(tree: CategoryTree, edits: Iterable[CategoryEdit]) -> CategoryTree:
    """As `apply_edits`, but an edit the tree refuses (a department the file no longer
    has) is skipped instead of taking every other edit down with it."""
    edits = list(edits)
    try:
        return apply_edits(tree, edits)
    except ImportRejected:
        for edit in edits:
            try:
                tree = apply_edits(tree, [edit])
            except ImportRejected:
                continue
        return tree


def _edited(minor: MinorClass, edit: CategoryEdit | None) -> MinorClass:
    if edit is None:
        return minor
    return replace(
        minor,
        limit=edit.limit,
        filing_condition=edit.filing_condition,
        closing_condition=edit.closing_condition,
        department=edit.department,
        duplicate_radius_m=edit.duplicate_radius_m,
        duplicate_window_h=edit.duplicate_window_h,
    )
