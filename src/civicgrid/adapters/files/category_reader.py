"""Nested data (a parsed YAML document, or CSV rows turned into one) read as a category tree.

A file is read whole and rejected whole: one ImportRejected lists every problem, located
by path in the document (`events[2].minors[0]`, field `limit.unit`). Items the reader
could read are then checked as a tree, and the tree's problems are located in the data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from civicgrid.adapters.files.data_fields import FieldReader, describe, join
from civicgrid.domain.areas.problems import ImportRejected, Problem
from civicgrid.domain.calendar import LimitUnit, TimeLimit
from civicgrid.domain.cases.categories import (
    DEFAULT_STAGE_LIMITS,
    STEPS_WITH_DEFAULTS,
    CategoryKind,
    CategoryTree,
    Department,
    MajorClass,
    MinorClass,
    Responsibility,
    Season,
    StageOverrides,
    Step,
    Text,
    limit_value_problem,
)
from civicgrid.domain.cases.stages import Urgency
from civicgrid.domain.errors import InvalidInput

DUPLICATE_FIELDS = ("duplicate_radius_m", "duplicate_window_h")
ALIASES: dict[str, str] = {
    **{unit.name_zh: unit.value for unit in LimitUnit},
    **{kind.name_zh: kind.value for kind in CategoryKind},
    "属地": "area",
    "权属": "owner",
    "一般": "normal",
    "紧急": "urgent",
}
_TOP = ("stage_limits", "defaults", "departments", "components", "events")
_DEPARTMENT = ("code", "name_zh", "name_en")
_MAJOR = ("code", "name_zh", "name_en", "minors")
_MINOR = (
    *("code", "name_zh", "name_en", "filing_condition", "closing_condition", "limit"),
    *("department", "responsible_first", *DUPLICATE_FIELDS, "urgency", "urgent_season"),
    "stage_limits",
)
_ITEM_PATH = re.compile(
    r"(?:components|events)\[[0-9]+\](?:\.minors\[[0-9]+\])?|departments\[[0-9]+\]"
)
# Elapsed-time units first, then working time, as the shipped default.yaml lists them.
_UNITS = tuple(sorted(LimitUnit, key=lambda unit: unit.is_working_time))
_STAND_IN_LIMIT = TimeLimit(1, LimitUnit.MINUTES)  # fills a field whose value was unreadable


def read_category_data(document: object, *, source_name: str) -> CategoryTree:
    """Build a tree from a parsed document: mappings, lists, text and numbers."""
    tree, problems = read_tree(document)
    if tree is None or problems:
        raise ImportRejected(problems, source_name=source_name)
    return tree


def read_tree(document: object) -> tuple[CategoryTree | None, list[Problem]]:
    """The tree, if one could be built, and every problem, located by path in the data."""
    reader = _TreeReader()
    tree = reader.read(document)
    return tree, reader.problems


def repath(message: str, places: Mapping[str, str]) -> str:
    """A message naming another item by its path, with that item's place in the file."""
    return _ITEM_PATH.sub(lambda match: places.get(match[0], match[0]), message)


class _TreeReader(FieldReader):
    """Turns nested data into a tree, noting each problem by its path in the data.

    Getters note what is wrong and return a stand-in value; an item whose reading added
    a problem is left out of the tree, so stand-ins never reach it.
    """

    aliases = ALIASES

    def __init__(self) -> None:
        super().__init__()
        self._paths: dict[str, str] = {}  # a kept item's path in the tree -> in the data
        self._dropped_departments: set[str] = set()
        self._departments_unreadable = False
        self._minor_departments: dict[str, str] = {}  # tree path -> department code

    def read(self, document: object) -> CategoryTree | None:
        if not isinstance(document, Mapping):
            got = "the file is empty" if document is None else f"got {describe(document)}"
            self.note("file", None, f"must be a mapping of keys to values; {got}")
            return None
        top = self.mapping(document, "file", "", _TOP, required=("departments",))
        stage_limits = replace(
            DEFAULT_STAGE_LIMITS,  # a step the file leaves out keeps the built-in limit
            **{step.value: limit for step, limit in self.steps(top, "stage_limits").items()},
        )
        defaults = self.defaults(top.get("defaults"))
        departments = self.departments(top.get("departments"))
        majors = {kind: self.majors(kind, top.get(kind.plural), defaults) for kind in CategoryKind}
        try:
            return CategoryTree(
                departments,
                majors[CategoryKind.COMPONENT],
                majors[CategoryKind.EVENT],
                stage_limits,
            )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                if not self._follows_dropped_department(problem):
                    where = self._paths.get(problem.location, problem.location)
                    self.note(where, problem.field, repath(problem.message, self._paths))
            return None

    def _follows_dropped_department(self, problem: Problem) -> bool:
        # An unreadable department was reported already; its users need not be too.
        if problem.field != "department":
            return False
        department = self._minor_departments.get(problem.location)
        return self._departments_unreadable or department in self._dropped_departments

    def time_limit(self, value: object, where: str, field: str) -> TimeLimit:
        before = len(self.problems)
        found = self.mapping(value, where, field, ("value", "unit"), required=("value", "unit"))
        amount = self.whole(found["value"], where, f"{field}.value") if "value" in found else 0
        unit = LimitUnit.MINUTES
        if "unit" in found:
            unit = self.choice(found["unit"], _UNITS, where, f"{field}.unit")
        if len(self.problems) > before:
            return _STAND_IN_LIMIT
        # Checked before building: the calendar's TimeLimit refuses a negative amount with
        # ValueError, and takes 0 or 1.5, which a category tree does not.
        if (message := limit_value_problem(amount)) is not None:
            self.note(where, join(field, "value"), message)
            return _STAND_IN_LIMIT
        return TimeLimit(amount, unit)

    def steps(self, found: Mapping[str, object], where: str) -> dict[Step, TimeLimit]:
        """Step limits under `stage_limits` in `found`; `where` locates `found` itself."""
        value = found.get("stage_limits")
        if value is None:
            return {}
        # At the top the section is its own location; in a minor class it is a field.
        prefix = "" if where == "stage_limits" else "stage_limits"
        given = self.mapping(
            value, where, prefix, tuple(step.value for step in STEPS_WITH_DEFAULTS)
        )
        return {
            Step(name): self.time_limit(item, where, join(prefix, name))
            for name, item in given.items()
        }

    def defaults(self, value: object) -> dict[str, int]:
        if value is None:
            return {}
        found = self.mapping(value, "defaults", "", DUPLICATE_FIELDS)
        return {name: self.whole(item, "defaults", name) for name, item in found.items()}

    def departments(self, value: object) -> tuple[Department, ...]:
        kept: list[Department] = []
        self._departments_unreadable = not isinstance(value, list)
        for index, item in enumerate(self.items(value, "file", "departments")):
            where, before = f"departments[{index}]", len(self.problems)
            found = self.mapping(item, where, "", _DEPARTMENT)
            code, name_zh, name_en = (self.text(found.get(k), where, k) for k in _DEPARTMENT)
            if len(self.problems) > before:
                # Without its code, any unknown reference may have meant this department.
                self._departments_unreadable |= not code
                self._dropped_departments.add(code)
                continue
            self._paths[f"departments[{len(kept)}]"] = where
            kept.append(Department(code, name_zh, name_en))
        return tuple(kept)

    def majors(
        self, kind: CategoryKind, value: object, defaults: Mapping[str, int]
    ) -> tuple[MajorClass, ...]:
        kept: list[MajorClass] = []
        for index, item in enumerate(self.items(value, "file", kind.plural)):
            where, before = f"{kind.plural}[{index}]", len(self.problems)
            found = self.mapping(item, where, "", _MAJOR)
            code = self.code(found.get("code"), where, "01")
            name_zh = self.text(found.get("name_zh"), where, "name_zh")
            name_en = self.text(found.get("name_en"), where, "name_en")
            listed = self.items(found.get("minors"), where, "minors")
            major_ok = len(self.problems) == before
            at = f"{kind.plural}[{len(kept)}]"
            minors: list[MinorClass] = []
            paths: dict[str, str] = {}
            for number, data in enumerate(listed):
                minor = self.minor(kind, data, f"{where}.minors[{number}]", defaults)
                if minor is not None:
                    paths[f"{at}.minors[{len(minors)}]"] = f"{where}.minors[{number}]"
                    minors.append(minor)
            # A class whose every minor class was unreadable is left out, not called empty.
            if not major_ok or (listed and not minors):
                continue
            self._paths.update(paths, **{at: where})
            self._minor_departments.update(
                {path: minor.department for path, minor in zip(paths, minors, strict=True)}
            )
            kept.append(MajorClass(kind, code, name_zh, name_en, tuple(minors)))
        return tuple(kept)

    def minor(
        self, kind: CategoryKind, value: object, where: str, defaults: Mapping[str, int]
    ) -> MinorClass | None:
        before = len(self.problems)
        found = self.mapping(value, where, "", _MINOR, required=("limit",))
        responsible, urgency = kind.default_responsibility, Urgency.NORMAL
        if "responsible_first" in found:
            given = found["responsible_first"]
            responsible = self.choice(given, Responsibility, where, "responsible_first")
        if "urgency" in found:
            urgency = self.choice(found["urgency"], Urgency, where, "urgency")
        minor = MinorClass(
            kind=kind,
            code=self.code(found.get("code"), where, "0101"),
            name_zh=self.text(found.get("name_zh"), where, "name_zh"),
            name_en=self.text(found.get("name_en"), where, "name_en"),
            filing_condition=self.condition(found, "filing_condition", where),
            closing_condition=self.condition(found, "closing_condition", where),
            limit=self.time_limit(found["limit"], where, "limit")
            if "limit" in found
            else _STAND_IN_LIMIT,
            department=self.text(found.get("department"), where, "department"),
            responsible_first=responsible,
            duplicate_radius_m=self.count(found, "duplicate_radius_m", where, defaults),
            duplicate_window_h=self.count(found, "duplicate_window_h", where, defaults),
            urgency=urgency,
            urgent_season=self.season(found.get("urgent_season"), where),
            stage_limits=replace(
                StageOverrides(),
                **{step.value: limit for step, limit in self.steps(found, where).items()},
            ),
        )
        return minor if len(self.problems) == before else None

    def condition(self, found: Mapping[str, object], field: str, where: str) -> Text:
        value = found.get(field)
        if value is None or isinstance(value, str):  # plain text: the zh-CN wording alone
            return Text(self.text(value, where, field))
        given = self.mapping(value, where, field, ("zh", "en"))
        zh, en = (self.text(given.get(k), where, f"{field}.{k}") for k in ("zh", "en"))
        return Text(zh, en)

    def count(
        self, found: Mapping[str, object], name: str, where: str, defaults: Mapping[str, int]
    ) -> int:
        if name in found:
            return self.whole(found[name], where, name)
        if name in defaults:
            return defaults[name]
        self.note(where, name, "is required (the file's defaults give none)")
        return 0

    def season(self, value: object, where: str) -> Season | None:
        if value is None:
            return None
        found = self.mapping(value, where, "urgent_season", ("start", "end"), ("start", "end"))
        if "start" not in found or "end" not in found:
            return None
        try:
            return Season(str(found["start"]), str(found["end"]))
        except InvalidInput as error:
            self.note(where, join("urgent_season", error.field or ""), error.message)
            return None
