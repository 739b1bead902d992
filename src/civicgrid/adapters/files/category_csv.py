"""Case category trees as CSV, one row per minor class, for editing in a spreadsheet.

The rows are first turned into the same nested data as a YAML document, so one reader
checks both alike; its problems come back located by line and column. The columns are
described in `category_csv_table`. CSV has no tree-wide step limits: a CSV tree uses
DEFAULT_STAGE_LIMITS, and `dump_category_csv` writes a tree's other defaults into each
row as the class's own.
"""

from __future__ import annotations

import csv
import io

from civicgrid.adapters.files.category_csv_table import CSV_COLUMNS, CsvTable
from civicgrid.adapters.files.category_reader import read_tree
from civicgrid.domain.areas.problems import ImportRejected, Problem
from civicgrid.domain.cases.categories import (
    DEFAULT_STAGE_LIMITS,
    STEPS_WITH_DEFAULTS,
    CategoryTree,
    MajorClass,
    MinorClass,
)


def read_category_csv(data: bytes, *, source_name: str) -> CategoryTree:
    table = CsvTable()
    text = table.decode(data)
    document = table.document(text) if text is not None else None
    tree = None
    if document is not None:
        tree, problems = read_tree(document)
        table.problems.extend(table.translate(problem) for problem in problems)
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
    for step in STEPS_WITH_DEFAULTS:
        # A CSV tree has the built-in step defaults; whatever differs is the class's own.
        limit = tree.limit(minor, step)
        if limit != DEFAULT_STAGE_LIMITS.get(step):
            row[f"{step.value}_limit_value"] = limit.value
            row[f"{step.value}_limit_unit"] = limit.unit.value
    return row


def _line_order(problem: Problem) -> int:
    _, _, number = problem.location.partition(" ")
    return int(number) if number.isdigit() else 0
