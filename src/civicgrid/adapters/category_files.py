"""Case category trees in files: YAML (the shipped format) and CSV (one row per minor class).

A file is read whole and rejected whole: one ImportRejected lists every problem. YAML
problems are located by path in the document (`events[2].minors[0]`, field `limit.unit`),
CSV problems by line (the header is line 1) and column. A CSV file is first turned into
the same nested data as a YAML document, so one reader checks both alike.

CSV columns, one row per minor class (a header row names them, in any order):

    required  kind (component/部件, event/事件), major_code, major_name_zh, code, name_zh,
              filing_condition_zh, closing_condition_zh, limit_value, limit_unit,
              department_code, department_name_zh, duplicate_radius_m, duplicate_window_h
    optional  major_name_en, name_en, filing_condition_en, closing_condition_en,
              department_name_en, responsible_first (area/owner; empty: the kind's default),
              urgency (normal/urgent), urgent_season ("06-01..09-30"), and
              {accept,file,dispatch,verify}_limit_{value,unit} for a class's own step limits

Rows of one major class repeat its code and names; rows of one department repeat its
names. CSV has no tree-wide step limits: a CSV tree uses DEFAULT_STAGE_LIMITS, and
`dump_category_csv` writes a tree's other defaults into each row as the class's own.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

import yaml  # type: ignore[import-untyped, unused-ignore]  # no stubs in dev deps yet

from civicgrid.domain.areas.problems import ImportRejected, Problem
from civicgrid.domain.cases.categories import (
    DEFAULT_STAGE_LIMITS,
    CategoryKind,
    CategoryTree,
    Department,
    LimitUnit,
    MajorClass,
    MinorClass,
    Responsibility,
    Season,
    StageOverrides,
    Step,
    Text,
    TimeLimit,
)
from civicgrid.domain.cases.stages import Urgency
from civicgrid.domain.errors import InvalidInput

_E = TypeVar("_E", bound=StrEnum)

_TOP = ("stage_limits", "defaults", "departments", "components", "events")
_DUPLICATE = ("duplicate_radius_m", "duplicate_window_h")
_DEPARTMENT = ("code", "name_zh", "name_en")
_MAJOR = ("code", "name_zh", "name_en", "minors")
_MINOR = (
    *("code", "name_zh", "name_en", "filing_condition", "closing_condition", "limit"),
    *("department", "responsible_first", *_DUPLICATE, "urgency", "urgent_season"),
    "stage_limits",
)
_STEPS = (Step.ACCEPT, Step.FILE, Step.DISPATCH, Step.VERIFY)
_WHOLE = re.compile(r"[-+]?[0-9]{1,12}")
_ITEM_PATH = re.compile(
    r"(?:components|events)\[[0-9]+\](?:\.minors\[[0-9]+\])?|departments\[[0-9]+\]"
)
_ALIASES: dict[str, str] = {
    **{unit.name_zh: unit.value for unit in LimitUnit},
    **{kind.name_zh: kind.value for kind in CategoryKind},
    "属地": "area",
    "权属": "owner",
    "一般": "normal",
    "紧急": "urgent",
}
# libyaml's safe loader and dumper when PyYAML was built with it: several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_DEFAULT_RESOURCE = "data/categories/default.yaml"
_STAND_IN_LIMIT = TimeLimit(1, LimitUnit.MINUTES)  # fills a field whose value was unreadable

CSV_COLUMNS = (
    *("kind", "major_code", "major_name_zh", "major_name_en", "code", "name_zh", "name_en"),
    *("filing_condition_zh", "filing_condition_en", "closing_condition_zh"),
    *("closing_condition_en", "limit_value", "limit_unit", "department_code"),
    *("department_name_zh", "department_name_en", "responsible_first", *_DUPLICATE),
    *("urgency", "urgent_season"),
    *(f"{step.value}_limit_{part}" for step in _STEPS for part in ("value", "unit")),
)
_CSV_REQUIRED = (
    *("kind", "major_code", "major_name_zh", "code", "name_zh", "filing_condition_zh"),
    *("closing_condition_zh", "limit_value", "limit_unit", "department_code"),
    *("department_name_zh", *_DUPLICATE),
)


def load_category_tree(path: Path) -> CategoryTree:
    """Read a .yaml/.yml or .csv file. OSError (missing, unreadable) is left to the caller."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_category_yaml(path.read_bytes(), source_name=path.name)
    if suffix == ".csv":
        return read_category_csv(path.read_bytes(), source_name=path.name)
    got = repr(path.suffix) if path.suffix else "a file without a suffix"
    problem = Problem("file", None, f"cannot read {got}; expected .yaml, .yml or .csv")
    raise ImportRejected([problem], source_name=path.name)


@functools.cache
def default_category_tree() -> CategoryTree:
    """The tree shipped in the package (data/categories/default.yaml)."""
    data = files("civicgrid").joinpath(_DEFAULT_RESOURCE).read_bytes()
    return read_category_yaml(data, source_name="default.yaml")


def read_category_yaml(data: bytes, *, source_name: str) -> CategoryTree:
    try:
        document = yaml.load(data, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "file"
        parts = (getattr(error, name, None) for name in ("context", "problem"))
        detail = " ".join(part for part in parts if part) or str(error)
        raise ImportRejected(
            [Problem(where, None, f"not valid YAML: {detail}")], source_name=source_name
        ) from None
    except RecursionError:
        problem = Problem("file", None, "not valid YAML: nested too deeply")
        raise ImportRejected([problem], source_name=source_name) from None
    return read_category_data(document, source_name=source_name)


def read_category_data(document: object, *, source_name: str) -> CategoryTree:
    """Build a tree from a parsed document: mappings, lists, text and numbers."""
    reader = _Reader()
    tree = reader.read(document)
    if tree is None or reader.problems:
        raise ImportRejected(reader.problems, source_name=source_name)
    return tree


def dump_category_yaml(tree: CategoryTree) -> str:
    """The tree as YAML that reads back equal; common duplicate settings go to `defaults`."""
    minors = tree.minors()
    defaults = {
        name: Counter(getattr(minor, name) for minor in minors).most_common(1)[0][0]
        for name in _DUPLICATE
    }
    document: dict[str, Any] = {
        "stage_limits": {step.value: _limit_data(tree.stage_limits.get(step)) for step in _STEPS},
        "defaults": defaults,
        "departments": [
            {"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en} for d in tree.departments
        ],
    }
    for kind in CategoryKind:
        document[kind.plural] = [
            {
                "code": major.code,
                "name_zh": major.name_zh,
                "name_en": major.name_en,
                "minors": [_minor_data(minor, defaults) for minor in major.minors],
            }
            for major in tree.majors(kind)
        ]
    dumped: str = yaml.dump(
        document, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100
    )
    return dumped


def _limit_data(limit: TimeLimit | None) -> dict[str, Any] | None:
    return None if limit is None else {"value": limit.value, "unit": limit.unit.value}


def _minor_data(minor: MinorClass, defaults: Mapping[str, int]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": minor.code,
        "name_zh": minor.name_zh,
        "name_en": minor.name_en,
        "filing_condition": {"zh": minor.filing_condition.zh, "en": minor.filing_condition.en},
        "closing_condition": {"zh": minor.closing_condition.zh, "en": minor.closing_condition.en},
        "limit": _limit_data(minor.limit),
        "department": minor.department,
    }
    if minor.responsible_first is not minor.kind.default_responsibility:
        data["responsible_first"] = minor.responsible_first.value
    data.update({n: getattr(minor, n) for n in _DUPLICATE if getattr(minor, n) != defaults[n]})
    if minor.urgency is not Urgency.NORMAL:
        data["urgency"] = minor.urgency.value
    if minor.urgent_season is not None:
        data["urgent_season"] = {"start": minor.urgent_season.start, "end": minor.urgent_season.end}
    own = {s.value: _limit_data(minor.stage_limits.get(s)) for s in _STEPS}
    if any(own.values()):
        data["stage_limits"] = {step: limit for step, limit in own.items() if limit}
    return data


def read_category_csv(data: bytes, *, source_name: str) -> CategoryTree:
    table = _CsvTable()
    text = table.decode(data)
    document = table.document(text) if text is not None else None
    tree = None
    if document is not None:
        reader = _Reader()
        tree = reader.read(document)
        table.problems.extend(table.translate(problem) for problem in reader.problems)
    if tree is None or table.problems:
        table.problems.sort(key=_line_order)
        raise ImportRejected(table.problems, source_name=source_name)
    return tree


def dump_category_csv(tree: CategoryTree) -> str:
    """One row per minor class; reads back as a tree that sets every limit alike."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for major in tree.majors():
        for minor in major.minors:
            writer.writerow(_csv_row(tree, major, minor).get(c, "") for c in CSV_COLUMNS)
    return out.getvalue()


def _csv_row(tree: CategoryTree, major: MajorClass, minor: MinorClass) -> dict[str, object]:
    department = tree.department(minor.department)
    row: dict[str, object] = {
        "kind": minor.kind.value,
        "major_code": major.code,
        "major_name_zh": major.name_zh,
        "major_name_en": major.name_en,
        "code": minor.code,
        "name_zh": minor.name_zh,
        "name_en": minor.name_en,
        "filing_condition_zh": minor.filing_condition.zh,
        "filing_condition_en": minor.filing_condition.en,
        "closing_condition_zh": minor.closing_condition.zh,
        "closing_condition_en": minor.closing_condition.en,
        "limit_value": minor.limit.value,
        "limit_unit": minor.limit.unit.value,
        "department_code": department.code,
        "department_name_zh": department.name_zh,
        "department_name_en": department.name_en,
        "responsible_first": minor.responsible_first.value,
        "duplicate_radius_m": minor.duplicate_radius_m,
        "duplicate_window_h": minor.duplicate_window_h,
        "urgency": minor.urgency.value,
    }
    if minor.urgent_season is not None:
        row["urgent_season"] = f"{minor.urgent_season.start}..{minor.urgent_season.end}"
    for step in _STEPS:
        # A CSV tree has the built-in step defaults; whatever differs is the class's own.
        limit = tree.limit(minor, step)
        if limit != DEFAULT_STAGE_LIMITS.get(step):
            row[f"{step.value}_limit_value"] = limit.value
            row[f"{step.value}_limit_unit"] = limit.unit.value
    return row


def _line_order(problem: Problem) -> int:
    _, _, number = problem.location.partition(" ")
    return int(number) if number.isdigit() else 0


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return repr(value[:40])
    if isinstance(value, Mapping):
        return "a mapping"
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


def _repath(message: str, places: Mapping[str, str]) -> str:
    """A message naming another item by its path, with that item's place in the file."""
    return _ITEM_PATH.sub(lambda match: places.get(match[0], match[0]), message)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


class _Reader:
    """Turns nested data into a tree, noting each problem by its path in the data.

    Getters note what is wrong and return a stand-in value; an item whose reading added
    a problem is left out of the tree, so stand-ins never reach it.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._paths: dict[str, str] = {}  # a kept item's path in the tree -> in the data
        self._dropped_departments: set[str] = set()
        self._departments_unreadable = False
        self._minor_departments: dict[str, str] = {}  # tree path -> department code

    def note(self, where: str, field: str | None, message: str) -> None:
        self.problems.append(Problem(where, field, message))

    def read(self, document: object) -> CategoryTree | None:
        if not isinstance(document, Mapping):
            got = "the file is empty" if document is None else f"got {_describe(document)}"
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
                    self.note(where, problem.field, _repath(problem.message, self._paths))
            return None

    def _follows_dropped_department(self, problem: Problem) -> bool:
        # An unreadable department was reported already; its users need not be too.
        if problem.field != "department":
            return False
        department = self._minor_departments.get(problem.location)
        return self._departments_unreadable or department in self._dropped_departments

    def mapping(
        self,
        value: object,
        where: str,
        prefix: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...] = (),
    ) -> dict[str, object]:
        if not isinstance(value, Mapping):
            message = f"must be a mapping of keys to values, got {_describe(value)}"
            self.note(where, prefix or None, message)
            return {}
        found: dict[str, object] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                self.note(where, _join(prefix, str(key)), "keys must be text")
            elif key not in allowed:
                near = difflib.get_close_matches(key, allowed, 1, 0.6)
                hint = f"did you mean {near[0]}?" if near else f"expected {', '.join(allowed)}"
                self.note(where, _join(prefix, key), f"unknown key; {hint}")
            elif item is not None:  # an empty value in YAML means "not given"
                found[key] = item
        for key in required:
            if key not in found:
                self.note(where, _join(prefix, key), "is required")
        return found

    def items(self, value: object, where: str, field: str) -> list[object]:
        if value is None or isinstance(value, list):
            return value or []
        self.note(where, field, f"must be a list, got {_describe(value)}")
        return []

    def text(self, value: object, where: str, field: str) -> str:
        if value is None or isinstance(value, str):
            return (value or "").strip()
        self.note(where, field, f"must be text, got {_describe(value)}")
        return ""

    def code(self, value: object, where: str, example: str) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            message = f'must be quoted text such as "{example}"; unquoted, it reads as {value}'
            self.note(where, "code", message)
            return ""
        return self.text(value, where, "code")

    def whole(self, value: object, where: str, field: str) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
            return int(value)
        self.note(where, field, f"must be a whole number, got {_describe(value)}")
        return 0

    def choice(self, value: object, options: type[_E], where: str, field: str) -> _E:
        wanted = value.strip() if isinstance(value, str) else None
        for option in options:
            if wanted is not None and option.value == _ALIASES.get(wanted, wanted.lower()):
                return option
        allowed = ", ".join(option.value for option in options)
        self.note(where, field, f"must be one of {allowed}, got {_describe(value)}")
        return next(iter(options))

    def time_limit(self, value: object, where: str, field: str) -> TimeLimit:
        before = len(self.problems)
        found = self.mapping(value, where, field, ("value", "unit"), required=("value", "unit"))
        amount = self.whole(found["value"], where, f"{field}.value") if "value" in found else 0
        unit = LimitUnit.MINUTES
        if "unit" in found:
            unit = self.choice(found["unit"], LimitUnit, where, f"{field}.unit")
        if len(self.problems) > before:
            return _STAND_IN_LIMIT
        try:
            return TimeLimit(amount, unit)
        except InvalidInput as error:
            self.note(where, _join(field, error.field or ""), error.message)
            return _STAND_IN_LIMIT

    def steps(self, found: Mapping[str, object], where: str) -> dict[Step, TimeLimit]:
        """Step limits under `stage_limits` in `found`; `where` locates `found` itself."""
        value = found.get("stage_limits")
        if value is None:
            return {}
        # At the top the section is its own location; in a minor class it is a field.
        prefix = "" if where == "stage_limits" else "stage_limits"
        given = self.mapping(value, where, prefix, tuple(step.value for step in _STEPS))
        return {
            Step(name): self.time_limit(item, where, _join(prefix, name))
            for name, item in given.items()
        }

    def defaults(self, value: object) -> dict[str, int]:
        if value is None:
            return {}
        found = self.mapping(value, "defaults", "", _DUPLICATE)
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
            self.note(where, _join("urgent_season", error.field or ""), error.message)
            return None


class _CsvTable:
    """Turns CSV rows into the reader's nested data and its problems back into lines."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._lines: dict[str, str] = {}  # a path in the nested data -> "line N"

    def decode(self, data: bytes) -> str | None:
        # Excel on a Chinese-locale Windows saves "CSV" in the GB18030 family.
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        message = 'the file is neither UTF-8 nor GB18030; save it as "CSV UTF-8"'
        self.problems.append(Problem("file", None, message))
        return None

    def document(self, text: str) -> dict[str, object] | None:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [cell.strip().lower() for cell in next(reader, [])]
            if not self._header_ok(header):
                return None
            document: dict[str, Any] = {"departments": [], "components": [], "events": []}
            majors: dict[tuple[str, str], dict[str, Any]] = {}
            departments: dict[str, dict[str, Any]] = {}
            previous = reader.line_num
            for cells in reader:
                where, previous = f"line {previous + 1}", reader.line_num
                if any(cell.strip() for cell in cells):
                    row = {
                        name: cells[i].strip() for i, name in enumerate(header) if i < len(cells)
                    }
                    self._row(row, where, document, majors, departments)
        except csv.Error as error:
            self.problems.append(Problem(f"line {reader.line_num}", None, f"unreadable: {error}"))
            return None
        return document

    def _header_ok(self, header: list[str]) -> bool:
        for name in dict.fromkeys(header):
            if name and name not in CSV_COLUMNS:
                near = difflib.get_close_matches(name, CSV_COLUMNS, 1, 0.6)
                hint = f"; did you mean {near[0]}?" if near else ""
                self.problems.append(Problem("line 1", name, f"unknown column{hint}"))
            elif name and header.count(name) > 1:
                self.problems.append(Problem("line 1", name, "the column appears twice"))
        missing = [name for name in _CSV_REQUIRED if name not in header]
        if missing and len(header) == 1:
            message = "the header has one column; columns must be separated by commas"
            self.problems[:] = [Problem("line 1", None, message)]
        else:
            self.problems.extend(Problem("line 1", n, "the header lacks it") for n in missing)
        return not self.problems

    def _row(
        self,
        row: dict[str, str],
        where: str,
        document: dict[str, Any],
        majors: dict[tuple[str, str], dict[str, Any]],
        departments: dict[str, dict[str, Any]],
    ) -> None:
        before = len(self.problems)
        kind = _ALIASES.get(row.get("kind", ""), row.get("kind", "").lower())
        if kind not in {k.value for k in CategoryKind}:
            self._note(where, "kind", f"must be component or event, got {row.get('kind')!r}")
        for column, digits in (("major_code", 2), ("code", 4)):
            value = row.get(column, "")
            if value.isdigit() and len(value) < digits:
                message = f"{value!r} lost its leading zero (Excel?); format the column as text"
                self._note(where, column, message)
        if len(self.problems) > before:
            return
        plural = CategoryKind(kind).plural
        major = self._major(row, where, plural, document, majors)
        department = self._department(row, where, document, departments)
        if major is None or department is None:
            return
        path = f"{plural}[{major['index']}].minors[{len(major['data']['minors'])}]"
        self._lines[path] = where
        major["data"]["minors"].append(_minor_from_row(row))

    def _major(
        self,
        row: dict[str, str],
        where: str,
        plural: str,
        document: dict[str, Any],
        majors: dict[tuple[str, str], dict[str, Any]],
    ) -> dict[str, Any] | None:
        key = (plural, row.get("major_code", ""))
        names = {"name_zh": row.get("major_name_zh", ""), "name_en": row.get("major_name_en", "")}
        if key not in majors:
            index = len(document[plural])
            data = {"code": key[1], **names, "minors": []}
            document[plural].append(data)
            majors[key] = {"index": index, "data": data, "line": where}
            self._lines[f"{plural}[{index}]"] = where
        return self._same_names(majors[key], names, "major", where)

    def _department(
        self,
        row: dict[str, str],
        where: str,
        document: dict[str, Any],
        departments: dict[str, dict[str, Any]],
    ) -> dict[str, Any] | None:
        code = row.get("department_code", "")
        names = {
            "name_zh": row.get("department_name_zh", ""),
            "name_en": row.get("department_name_en", ""),
        }
        if code not in departments:
            index = len(document["departments"])
            data = {"code": code, **names}
            document["departments"].append(data)
            departments[code] = {"index": index, "data": data, "line": where}
            self._lines[f"departments[{index}]"] = where
        return self._same_names(departments[code], names, "department", where)

    def _same_names(
        self, entry: dict[str, Any], names: dict[str, str], what: str, where: str
    ) -> dict[str, Any] | None:
        for name, value in names.items():
            first = entry["data"][name]
            if value != first:
                message = f"differs from {first!r} given for this {what} on {entry['line']}"
                self._note(where, f"{what}_{name}", message)
                return None
        return entry

    def _note(self, where: str, field: str | None, message: str) -> None:
        self.problems.append(Problem(where, field, message))

    def translate(self, problem: Problem) -> Problem:
        """A reader problem, located by path in the nested data, as a CSV line and column."""
        where = self._lines.get(problem.location, problem.location)
        message = _repath(problem.message, self._lines)
        return Problem(where, _column(problem.location, problem.field), message)


def _minor_from_row(row: dict[str, str]) -> dict[str, Any]:
    minor: dict[str, Any] = {
        "code": row.get("code", ""),
        "name_zh": row.get("name_zh", ""),
        "name_en": row.get("name_en", ""),
        "filing_condition": {
            "zh": row.get("filing_condition_zh", ""),
            "en": row.get("filing_condition_en", ""),
        },
        "closing_condition": {
            "zh": row.get("closing_condition_zh", ""),
            "en": row.get("closing_condition_en", ""),
        },
        "limit": _limit_from_row(row, "limit"),
        "department": row.get("department_code", ""),
    }
    for name in ("responsible_first", *_DUPLICATE, "urgency"):
        if row.get(name):
            minor[name] = row[name]
    if row.get("urgent_season"):
        start, _, end = row["urgent_season"].partition("..")
        minor["urgent_season"] = {"start": start.strip(), "end": end.strip()}
    own = {
        step.value: _limit_from_row(row, f"{step.value}_limit")
        for step in _STEPS
        if row.get(f"{step.value}_limit_value") or row.get(f"{step.value}_limit_unit")
    }
    if own:
        minor["stage_limits"] = own
    return minor


def _limit_from_row(row: dict[str, str], prefix: str) -> dict[str, str | None]:
    return {part: row.get(f"{prefix}_{part}") or None for part in ("value", "unit")}


def _column(location: str, field: str | None) -> str | None:
    """The CSV column a reader field comes from, given where the problem lies."""
    if field is None:
        return None
    if location.startswith("departments["):
        return f"department_{field}"
    if ".minors[" not in location:
        return "major_code" if field == "code" else f"major_{field}"
    if field.startswith("stage_limits."):
        _, step, part = [*field.split("."), "", ""][:3]
        return f"{step}_limit_{part}" if part else f"{step}_limit_value"
    if field.startswith("urgent_season"):
        return "urgent_season"
    return "department_code" if field == "department" else field.replace(".", "_")
