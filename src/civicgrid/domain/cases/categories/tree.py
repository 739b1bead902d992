"""The category tree: departments and both kinds' classes, and lookups in it."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from civicgrid.domain.areas.problems import ImportRejected
from civicgrid.domain.calendar import TimeLimit
from civicgrid.domain.cases.categories.checks import tree_problems
from civicgrid.domain.cases.categories.classes import (
    CategoryKind,
    Department,
    MajorClass,
    MinorClass,
)
from civicgrid.domain.cases.categories.step_limits import (
    DEFAULT_STAGE_LIMITS,
    StageDefaults,
    Step,
)
from civicgrid.domain.errors import InvalidInput, NotFound

_SUGGESTIONS = 5


class UnknownCategory(NotFound):
    def __init__(self, code: str, suggestions: Sequence[str]) -> None:
        self.unknown_code = code
        self.suggestions = list(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if suggestions else ""
        super().__init__(f"no case category has code {code!r}{hint}", field="code")


@dataclass(frozen=True, slots=True)
class CategoryTree:
    """Departments and both kinds' classes; construction rejects an inconsistent tree."""

    departments: tuple[Department, ...]
    components: tuple[MajorClass, ...]
    events: tuple[MajorClass, ...]
    stage_limits: StageDefaults = DEFAULT_STAGE_LIMITS
    _by_key: dict[str, MinorClass] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = tree_problems(self)
        if problems:
            raise ImportRejected(problems, source_name="the category tree")
        object.__setattr__(self, "_by_key", {minor.key: minor for minor in self.minors()})

    def majors(self, kind: CategoryKind | None = None) -> tuple[MajorClass, ...]:
        if kind is None:
            return self.components + self.events
        return self.components if kind is CategoryKind.COMPONENT else self.events

    def minors(self, kind: CategoryKind | None = None) -> tuple[MinorClass, ...]:
        return tuple(minor for major in self.majors(kind) for minor in major.minors)

    def minor(self, code: str, kind: CategoryKind | None = None) -> MinorClass:
        """A minor class by "0101" (with `kind` when both kinds have it) or by key."""
        wanted = code.strip()
        prefix, colon, rest = wanted.partition(":")
        if colon and prefix in {k.value for k in CategoryKind}:
            if kind is not None and kind.value != prefix:
                raise UnknownCategory(code, [])
            kind, wanted = CategoryKind(prefix), rest.strip()
        kinds = list(CategoryKind) if kind is None else [kind]
        found = [
            self._by_key[k] for k in (f"{k.value}:{wanted}" for k in kinds) if k in self._by_key
        ]
        if len(found) == 1:
            return found[0]
        if found:
            both = " and ".join(f"{m.key} {m.name_zh}" for m in found)
            raise InvalidInput(f"code {wanted} names {both}; give the kind too", field="code")
        raise UnknownCategory(code, self._near(wanted, kinds))

    def major_of(self, minor: MinorClass) -> MajorClass:
        return next(m for m in self.majors(minor.kind) if m.code == minor.major_code)

    def department(self, code: str) -> Department:
        for department in self.departments:
            if department.code == code:
                return department
        raise NotFound(f"no department has code {code!r}", field="department")

    def limit(self, minor: MinorClass, step: Step) -> TimeLimit:
        """The limit a case of this class runs against at a step, overrides first."""
        # HANDLE has no tree-wide or override value, so it falls through to the class's own.
        return minor.stage_limits.get(step) or self.stage_limits.get(step) or minor.limit

    def _near(self, wanted: str, kinds: list[CategoryKind]) -> list[str]:
        minors = [m for m in self.minors() if m.kind in kinds]
        by_name = [m for m in minors if wanted and (wanted in m.name_zh or m.name_zh in wanted)]
        codes = difflib.get_close_matches(wanted, [m.code for m in minors], _SUGGESTIONS, 0.5)
        by_code = [m for code in codes for m in minors if m.code == code]
        chosen = list(dict.fromkeys(by_name + by_code))[:_SUGGESTIONS]
        return [f"{m.key} {m.name_zh}" for m in chosen]
