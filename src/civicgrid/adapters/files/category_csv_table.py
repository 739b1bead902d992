"""The CSV layout of a category tree, and its rows turned into the reader's nested data.

One row per minor class; a header row names the columns, in any order:

    required  kind (component/部件, event/事件), major_code, major_name_zh, code, name_zh,
              filing_condition_zh, closing_condition_zh, limit_value, limit_unit,
              department_code, department_name_zh, duplicate_radius_m, duplicate_window_h
    optional  major_name_en, name_en, filing_condition_en, closing_condition_en,
              department_name_en, responsible_first (area/owner; empty: the kind's default),
              urgency (normal/urgent), urgent_season ("06-01..09-30"), and
              {accept,file,dispatch,verify}_limit_{value,unit} for a class's own step limits

Rows of one major class repeat its code and names; rows of one department repeat its
names. The reader's problems, located by path in the nested data, are translated back
to a line (the header is line 1) and a column.
"""

from __future__ import annotations

import csv
import difflib
import io
from typing import Any

from civicgrid.adapters.files.category_reader import ALIASES, DUPLICATE_FIELDS, repath
from civicgrid.domain.areas.problems import Problem
from civicgrid.domain.cases.categories import STEPS_WITH_DEFAULTS, CategoryKind

CSV_COLUMNS = (
    *("kind", "major_code", "major_name_zh", "major_name_en", "code", "name_zh", "name_en"),
    *("filing_condition_zh", "filing_condition_en", "closing_condition_zh"),
    *("closing_condition_en", "limit_value", "limit_unit", "department_code"),
    *("department_name_zh", "department_name_en", "responsible_first", *DUPLICATE_FIELDS),
    *("urgency", "urgent_season"),
    *(f"{step.value}_limit_{part}" for step in STEPS_WITH_DEFAULTS for part in ("value", "unit")),
)
_REQUIRED = (
    *("kind", "major_code", "major_name_zh", "code", "name_zh", "filing_condition_zh"),
    *("closing_condition_zh", "limit_value", "limit_unit", "department_code"),
    *("department_name_zh", *DUPLICATE_FIELDS),
)


class CsvTable:
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
        missing = [name for name in _REQUIRED if name not in header]
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
        kind = ALIASES.get(row.get("kind", ""), row.get("kind", "").lower())
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
        message = repath(problem.message, self._lines)
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
    for name in ("responsible_first", *DUPLICATE_FIELDS, "urgency"):
        if row.get(name):
            minor[name] = row[name]
    if row.get("urgent_season"):
        start, _, end = row["urgent_season"].partition("..")
        minor["urgent_season"] = {"start": start.strip(), "end": end.strip()}
    own = {
        step.value: _limit_from_row(row, f"{step.value}_limit")
        for step in STEPS_WITH_DEFAULTS
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
