"""三标 tables out as CSV (with a BOM, for Excel) or XLSX; text never becomes a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

Cell = str | int | float | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def table_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else _safe_text(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def table_xlsx(header: Sequence[str], rows: Sequence[Sequence[Cell]], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    if sheet is None:  # a new workbook always has its first sheet
        sheet = book.create_sheet()
    sheet.title = title[:31]
    sheet.append(list(header))
    for row in rows:
        sheet.append([None] * len(row))
        for column, cell in enumerate(row, start=1):
            written = sheet.cell(row=sheet.max_row, column=column, value=cell)
            if isinstance(cell, str):
                written.data_type = "s"  # text as given, never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _safe_text(cell: Cell) -> Cell:
    """A spreadsheet would run "=…" as a formula; a leading quote keeps it text."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell
