"""A city's own calendar corrections as YAML: one line per date, a holiday or a 调休 workday.

The State Council announces each year's 法定节假日 and 调休 in November; until the
`chinese_calendar` package carries them (and for local holidays) an administrator
writes them here, merged over the packaged calendar (CIVICGRID_CALENDAR_FILE):

    2027-01-01: holiday   # 元旦
    2027-02-07: workday   # 春节调休, a Sunday that is worked

A value is `holiday` (or 休) or `workday` (or 班). The file is read whole and rejected
whole: one ImportRejected names the line of every bad date or value.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from civicgrid.domain.areas.problems import ImportRejected, Problem

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
WORKING = {"holiday": False, "休": False, "workday": True, "班": True}


def load_calendar_overrides(path: Path) -> dict[date, bool]:
    """Read a .yaml/.yml file. OSError (missing, unreadable) is left to the caller."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        got = repr(path.suffix) if path.suffix else "a file without a suffix"
        problem = Problem("file", None, f"cannot read {got}; expected .yaml or .yml")
        raise ImportRejected([problem], source_name=path.name)
    return read_calendar_overrides(path.read_bytes(), source_name=path.name)


def read_calendar_overrides(data: bytes, *, source_name: str) -> dict[date, bool]:
    """Date → whether it is worked; an empty file changes nothing."""
    root = _compose(data, source_name)
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        problem = Problem(_line(root), None, "expected one `date: holiday|workday` entry per line")
        raise ImportRejected([problem], source_name=source_name)
    overrides: dict[date, bool] = {}
    first_line: dict[date, str] = {}
    problems: list[Problem] = []
    for key, value in root.value:
        where = _line(key)
        day = _date(key)
        if day is None:
            problems.append(
                Problem(where, "date", f"{_text(key)} is not an ISO date like 2027-01-01")
            )
            continue
        if day in first_line:
            problems.append(Problem(where, "date", f"{day} is already given on {first_line[day]}"))
            continue
        first_line[day] = where
        working = _working(value)
        if working is None:
            problems.append(
                Problem(where, str(day), f"{_text(value)} is not holiday (休) or workday (班)")
            )
            continue
        overrides[day] = working
    if problems:
        raise ImportRejected(problems, source_name=source_name)
    return overrides


def _compose(data: bytes, source_name: str) -> yaml.Node | None:
    try:
        node: yaml.Node | None = yaml.compose(data, Loader=_LOADER)  # a safe loader, C or Python
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "file"
        parts = (getattr(error, name, None) for name in ("context", "problem"))
        detail = " ".join(part for part in parts if part) or str(error)
        problem = Problem(where, None, f"not valid YAML: {detail}")
        raise ImportRejected([problem], source_name=source_name) from None
    return node


def _line(node: yaml.Node) -> str:
    return f"line {node.start_mark.line + 1}"


def _working(node: yaml.Node) -> bool | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    return WORKING.get(str(node.value).strip().lower())


def _text(node: yaml.Node) -> str:
    """A scalar's text as written, or a short description of anything else."""
    if isinstance(node, yaml.ScalarNode):
        return repr(node.value)
    return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"


def _date(node: yaml.Node) -> date | None:
    if not isinstance(node, yaml.ScalarNode) or len(node.value) != 10:
        return None
    try:
        return date.fromisoformat(node.value)
    except ValueError:
        return None
