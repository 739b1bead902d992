"""Reading reported values from CSV or XLSX: one row a value, problems kept per row.

Columns (a header row, any order): indicator, area, period, value, source, and an
optional reason (needed for a correction). Periods may be typed as numbers ("2023").
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook

from civicgrid.domain.errors import InvalidInput
from civicgrid.services.sanbiao.importing import RowError, RowsRead
from civicgrid.services.sanbiao.values import ValueEntry

REQUIRED = ("indicator", "area", "period", "value", "source")
MAX_ROWS = 50_000


@dataclass(frozen=True, slots=True)
class _Raw:
    line: int
    cells: dict[str, str]


def read_values_file(data: bytes, filename: str) -> RowsRead:
    """Parse `data` (CSV or XLSX, by name); a file that cannot be read at all raises."""
    try:
        raws = list(_xlsx(data) if filename.lower().endswith(".xlsx") else _csv(data))
    except csv.Error as problem:  # e.g. a field over the csv module's size limit
        raise InvalidInput(f"the CSV file cannot be read: {problem}", field="file") from None
    entries: list[tuple[int, ValueEntry]] = []
    errors: list[RowError] = []
    for raw in raws:
        try:
            entries.append((raw.line, _entry(raw.cells)))
        except InvalidInput as problem:
            errors.append(RowError(raw.line, problem.field, problem.message))
    return RowsRead(entries, errors)


def _entry(cells: dict[str, str]) -> ValueEntry:
    missing = [name for name in REQUIRED if not cells.get(name, "").strip()]
    if missing:
        raise InvalidInput(f"{missing[0]} is empty", field=missing[0])
    try:
        value = float(cells["value"].replace(",", ""))
    except ValueError:
        raise InvalidInput(
            f"value {cells['value'][:30]!r} is not a number", field="value"
        ) from None
    if not math.isfinite(value):
        raise InvalidInput("value must be finite", field="value")
    period = cells["period"].strip()
    if period.endswith(".0"):  # a year typed into a number cell
        period = period[:-2]
    return ValueEntry(
        cells["indicator"].strip(),
        cells["area"].strip(),
        period,
        value,
        cells["source"].strip(),
        cells.get("reason", "").strip(),
    )


def _csv(data: bytes) -> Iterator[_Raw]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the CSV file is not UTF-8", field="file") from None
    if "\x00" in text:
        raise InvalidInput("the CSV file holds NUL characters", field="file")
    rows = csv.reader(io.StringIO(text))
    header = _header(next(rows, []))
    for line, row in enumerate(rows, start=2):
        if line - 1 > MAX_ROWS:
            raise InvalidInput(f"at most {MAX_ROWS} rows a file", field="file")
        if any(cell.strip() for cell in row):
            yield _Raw(line, dict(zip(header, row, strict=False)))


def _xlsx(data: bytes) -> list[_Raw]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [[_text(c) for c in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    except Exception:  # whatever openpyxl trips on, the file is unreadable
        raise InvalidInput("the file is not a readable XLSX workbook", field="file") from None
    if len(rows) - 1 > MAX_ROWS:
        raise InvalidInput(f"at most {MAX_ROWS} rows a file", field="file")
    header = _header(rows[0] if rows else [])
    return [
        _Raw(line, dict(zip(header, cells, strict=False)))
        for line, cells in enumerate(rows[1:], start=2)
        if any(c.strip() for c in cells)
    ]


def _header(row: list[str]) -> list[str]:
    names = [cell.strip().lower() for cell in row]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise InvalidInput(
            f"the header lacks the column {missing[0]!r}; it needs "
            f"{', '.join(REQUIRED)} (and reason for corrections)",
            field="file",
        )
    return names


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).replace("\x00", "")
