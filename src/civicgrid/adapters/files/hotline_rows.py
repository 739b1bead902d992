"""Rows of a 12345 export, CSV or XLSX, as (row number, {column heading: cell}).

Row numbers are those a spreadsheet shows: the heading is row 1, so the first order is
row 2. CSV comes as UTF-8 (with or without a byte-order mark) or, as Excel in China
saves it, GB 18030.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from civicgrid.domain.areas.problems import ImportRejected, Problem
from civicgrid.domain.hotline import Cell

Row = tuple[int, Mapping[str, Cell]]


@dataclass(frozen=True, slots=True)
class ExportTable:
    headings: list[str]
    rows: list[Row]


def read_hotline_export(path: Path, *, sheet: str | None = None) -> ExportTable:
    """The table in a .csv or .xlsx file; ImportRejected when it cannot be read at all."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv(path.read_bytes(), path.name)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path, sheet)
    problem = Problem("file", None, f"a 12345 export is .csv or .xlsx, not {suffix or 'no suffix'}")
    raise ImportRejected([problem], source_name=path.name)


def check_columns(table: ExportTable, wanted: Mapping[str, str], source_name: str) -> None:
    """Every column the mapping names is in the file, or the file is rejected whole."""
    have = set(table.headings)
    problems = [
        Problem("row 1", field, f"no column {column!r} in the file")
        for field, column in wanted.items()
        if column not in have
    ]
    if problems:
        raise ImportRejected(problems, source_name=source_name)


def _csv(data: bytes, name: str) -> ExportTable:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ImportRejected(
            [Problem("file", None, "not UTF-8 or GB 18030 text")], source_name=name
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    headings = [h.strip() for h in next(reader, [])]
    if not any(headings):
        raise ImportRejected([Problem("row 1", None, "no column headings")], source_name=name)
    rows: list[Row] = []
    for number, values in enumerate(reader, start=2):
        if any(v.strip() for v in values):
            rows.append((number, _cells(headings, values)))
    return ExportTable(headings, rows)


def _xlsx(path: Path, sheet: str | None) -> ExportTable:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        problem = Problem("file", None, f"not a readable .xlsx workbook ({exc.__class__.__name__})")
        raise ImportRejected([problem], source_name=path.name) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            problem = Problem("file", "sheet", f"no sheet {sheet!r}; found {book.sheetnames}")
            raise ImportRejected([problem], source_name=path.name)
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        lines = worksheet.iter_rows(values_only=True)
        first = next(lines, ())
        headings = ["" if h is None else str(h).strip() for h in first]
        if not any(headings):
            raise ImportRejected(
                [Problem("row 1", None, "no column headings")], source_name=path.name
            )
        rows: list[Row] = []
        for number, values in enumerate(lines, start=2):
            cells = [_xlsx_cell(v) for v in values]
            if any(c not in (None, "") for c in cells):
                rows.append((number, _cells(headings, cells)))
        return ExportTable(headings, rows)
    finally:
        book.close()


def _xlsx_cell(value: object) -> Cell:
    if value is None or isinstance(value, (str, int, float, datetime)):
        return value
    return str(value)


def _cells(headings: Sequence[str], values: Sequence[Cell]) -> dict[str, Cell]:
    return {h: (values[i] if i < len(values) else None) for i, h in enumerate(headings) if h}
