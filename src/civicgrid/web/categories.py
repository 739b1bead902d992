"""The category tree as the report form's choices, in the page's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from civicgrid.domain.cases.categories import CategoryTree


@dataclass(frozen=True, slots=True)
class Choice:
    key: str  # "component:0101": unique across both kinds
    label: str


@dataclass(frozen=True, slots=True)
class Group:
    label: str  # the kind and major class, e.g. "部件 · 公用设施"
    choices: tuple[Choice, ...]


def category_groups(tree: CategoryTree, name: Callable[[str, str], str]) -> list[Group]:
    """One group per major class, components first, in the tree's order."""
    return [
        Group(
            label=" · ".join(
                (
                    name(major.kind.name_zh, major.kind.value.capitalize()),
                    name(major.name_zh, major.name_en),
                )
            ),
            choices=tuple(
                Choice(minor.key, name(minor.name_zh, minor.name_en)) for minor in major.minors
            ),
        )
        for major in tree.majors()
        if major.minors
    ]


def category_keys(tree: CategoryTree) -> set[str]:
    return {minor.key for minor in tree.minors()}
