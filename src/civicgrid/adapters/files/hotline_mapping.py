"""The column mapping of a 12345 export, a small YAML file an administrator writes.

columns:            # our field: the export's column heading
  order_id: 工单编号
  description: 诉求内容
  address: 事发地址       # address, or lat + lon, or both
  lat: 纬度
  lon: 经度
  category: 诉求分类
  received_at: 来电时间
  contact_name: 来电人
  contact_phone: 来电号码
categories:         # the export's category: ours
  市容环境/暴露垃圾: "event:0101"
default_category: "event:0101"   # optional: for categories not listed
sheet: 工单                      # optional: the XLSX sheet (the first one otherwise)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from civicgrid.domain.areas.problems import ImportRejected, Problem
from civicgrid.domain.hotline import HotlineMapping

FIELDS = (
    "order_id",
    "description",
    "category",
    "address",
    "lat",
    "lon",
    "received_at",
    "contact_name",
    "contact_phone",
)
REQUIRED = ("order_id", "description")
TOP_LEVEL = ("columns", "categories", "default_category", "sheet")


@dataclass(frozen=True, slots=True)
class MappingFile:
    mapping: HotlineMapping
    sheet: str | None = None


def read_hotline_mapping(data: bytes, *, source_name: str) -> MappingFile:
    """The mapping, or ImportRejected listing every problem in the file."""
    try:
        document = yaml.safe_load(data)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "file"
        problem = Problem(where, None, f"not valid YAML: {getattr(error, 'problem', error)}")
        raise ImportRejected([problem], source_name=source_name) from None
    problems: list[Problem] = []
    if not isinstance(document, dict):
        problems.append(Problem("file", None, "a mapping file is a YAML mapping with `columns`"))
        raise ImportRejected(problems, source_name=source_name)
    problems += [
        Problem("file", str(key), f"unknown key; expected {', '.join(TOP_LEVEL)}")
        for key in document
        if key not in TOP_LEVEL
    ]
    columns = _strings(document.get("columns"), "columns", problems)
    for key in columns:
        if key not in FIELDS:
            problems.append(
                Problem("columns", key, f"unknown field; expected one of {', '.join(FIELDS)}")
            )
    for key in REQUIRED:
        if key not in columns:
            problems.append(Problem("columns", key, "required: the column holding it"))
    if ("lat" in columns) != ("lon" in columns):
        problems.append(Problem("columns", "lat", "map both lat and lon, or neither"))
    if "address" not in columns and "lat" not in columns:
        problems.append(Problem("columns", "address", "map an address, or lat and lon"))
    categories = _strings(document.get("categories", {}), "categories", problems)
    default = document.get("default_category")
    if default is not None and not isinstance(default, str):
        problems.append(Problem("file", "default_category", "must be a category code"))
    if not categories and default is None:
        problems.append(
            Problem("file", "categories", "give categories, a default_category, or both")
        )
    sheet = document.get("sheet")
    if sheet is not None and not isinstance(sheet, str):
        problems.append(Problem("file", "sheet", "must be the name of a sheet"))
    if problems:
        raise ImportRejected(problems, source_name=source_name)
    mapping = HotlineMapping(
        **{key: value for key, value in columns.items() if key in FIELDS},
        categories=categories,
        default_category=default,
    )
    return MappingFile(mapping=mapping, sheet=sheet)


def _strings(value: Any, where: str, problems: list[Problem]) -> dict[str, str]:
    """A YAML mapping of text to text; numbers (an unquoted code) are read as text."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(Problem(where, None, "must be a mapping of names to names"))
        return {}
    found: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(item, (str, int)) or isinstance(item, bool) or not str(item).strip():
            problems.append(Problem(where, str(key), "must be a non-empty name"))
            continue
        found[str(key).strip()] = str(item).strip()
    return found
