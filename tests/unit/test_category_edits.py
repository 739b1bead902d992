"""An administrator's edit of a minor class, checked against and merged into the tree."""

from __future__ import annotations

from dataclasses import replace

import pytest

from civicgrid.adapters.category_files import default_category_tree
from civicgrid.domain.areas.problems import ImportRejected
from civicgrid.domain.calendar import LimitUnit, TimeLimit
from civicgrid.domain.cases.categories.edits import (
    CategoryEdit,
    apply_edits,
    apply_edits_leniently,
    edit_problems,
)

TREE = default_category_tree()
GARBAGE = TREE.minor("event:0101")
EDIT = replace(CategoryEdit.of(GARBAGE), limit=TimeLimit(3, LimitUnit.WORKING_DAYS))


def test_an_edit_replaces_only_its_class() -> None:
    edited = apply_edits(TREE, [EDIT])
    assert edited.minor("event:0101").limit == TimeLimit(3, LimitUnit.WORKING_DAYS)
    assert edited.minor("event:0101").name_zh == GARBAGE.name_zh
    assert edited.minor("component:0101") == TREE.minor("component:0101")


def test_the_unedited_values_make_no_problem() -> None:
    assert edit_problems(TREE, CategoryEdit.of(GARBAGE)) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"limit": TimeLimit(0, LimitUnit.HOURS)}, "limit_value"),
        ({"department": "nowhere"}, "department"),
        ({"duplicate_radius_m": -1}, "duplicate_radius_m"),
        ({"duplicate_window_h": 10**6}, "duplicate_window_h"),
        ({"closing_condition": replace(GARBAGE.closing_condition, zh=" ")}, "closing_zh"),
        ({"filing_condition": replace(GARBAGE.filing_condition, en="x" * 501)}, "filing_en"),
    ],
)
def test_a_value_the_tree_refuses_is_named_by_its_field(
    change: dict[str, object], field: str
) -> None:
    edit = replace(EDIT, **change)  # type: ignore[arg-type]
    assert [f for f, _ in edit_problems(TREE, edit)] == [field]


def test_a_tree_breaking_edit_is_rejected_whole_or_skipped_leniently() -> None:
    broken = replace(EDIT, key="event:0102", department="nowhere")
    with pytest.raises(ImportRejected):
        apply_edits(TREE, [EDIT, broken])
    lenient = apply_edits_leniently(TREE, [EDIT, broken])
    assert lenient.minor("event:0101").limit.value == 3
    assert lenient.minor("event:0102") == TREE.minor("event:0102")


def test_an_edit_of_a_class_the_tree_no_longer_has_is_left_out() -> None:
    gone = replace(EDIT, key="event:9999")
    assert apply_edits(TREE, [gone]).minors() == TREE.minors()
