"""Case category trees as YAML, the shipped format: read, and dumped so they read back equal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import yaml

from civicgrid.adapters.files.category_reader import DUPLICATE_FIELDS, read_category_data
from civicgrid.domain.areas.problems import ImportRejected, Problem
from civicgrid.domain.calendar import TimeLimit
from civicgrid.domain.cases.categories import (
    STEPS_WITH_DEFAULTS,
    CategoryKind,
    CategoryTree,
    MinorClass,
)
from civicgrid.domain.cases.stages import Urgency

# libyaml's safe loader and dumper when PyYAML was built with it: several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


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


def dump_category_yaml(tree: CategoryTree) -> str:
    """The tree as YAML that reads back equal; common duplicate settings go to `defaults`."""
    minors = tree.minors()
    defaults = {
        name: Counter(getattr(minor, name) for minor in minors).most_common(1)[0][0]
        for name in DUPLICATE_FIELDS
    }
    document: dict[str, Any] = {
        "stage_limits": {
            step.value: _limit_data(tree.stage_limits.get(step)) for step in STEPS_WITH_DEFAULTS
        },
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
    data.update(
        {n: getattr(minor, n) for n in DUPLICATE_FIELDS if getattr(minor, n) != defaults[n]}
    )
    if minor.urgency is not Urgency.NORMAL:
        data["urgency"] = minor.urgency.value
    if minor.urgent_season is not None:
        data["urgent_season"] = {"start": minor.urgent_season.start, "end": minor.urgent_season.end}
    own = {s.value: _limit_data(minor.stage_limits.get(s)) for s in STEPS_WITH_DEFAULTS}
    if any(own.values()):
        data["stage_limits"] = {step: limit for step, limit in own.items() if limit}
    return data
