"""An `Indicators` result as CSV or XLSX: one row a figure, zh and en labels, numbers as numbers.

Columns: key, 指标, indicator, numerator, denominator, value. A count fills `value`
only; a ratio fills all three (value empty when the denominator is 0); hours and mean
ratings fill `value`. The CSV carries a BOM so that Excel reads the Chinese labels.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import fields

from openpyxl import Workbook

from civicgrid.domain.indicators import Indicators, Ratio

HEADER = ("key", "指标", "indicator", "numerator", "denominator", "value")

LABELS: dict[str, tuple[str, str]] = {
    "reported": ("上报数", "Reported"),
    "filed": ("立案数", "Filed"),
    "closed": ("结案数", "Closed"),
    "closed_on_time": ("按期结案数", "Closed on time"),
    "due_to_close": ("应结案数", "Due to close"),
    "handled": ("处置数", "Handled"),
    "handled_on_time": ("按时处置数", "Handled on time"),
    "due_to_handle": ("应处置数", "Due to handle"),
    "reworked": ("返工数", "Reworked"),
    "rework_events": ("返工次数", "Rework events"),
    "public_reports_verified": ("监督举报核实数", "Public reports verified"),
    "inspector_reports_filed": ("监督员有效上报数", "Inspector reports filed"),
    "fixed": ("已解决结案数", "Closed as fixed"),
    "closed_not_fixed": ("未解决结案数", "Closed, not fixed"),
    "resolved_by_sensor": ("传感器解除数", "Resolved by sensor"),
    "duplicates": ("重复数", "Duplicates"),
    "voided": ("作废数", "Voided"),
    "enterprise_requests": ("企业服务数", "Enterprise service requests"),
    "close_rate": ("结案率", "Close rate"),
    "on_time_close_rate": ("按期结案率", "On-time close rate"),
    "handle_rate": ("处置率", "Handle rate"),
    "on_time_handle_rate": ("按时处置率", "On-time handle rate"),
    "rework_rate": ("返工率", "Rework rate"),
    "public_report_rate": ("监督举报率", "Public report rate"),
    "handling_hours_median": (
        "处置用时中位数（工作小时）",
        "Handling time, median (working hours)",
    ),
    "handling_hours_mean": ("平均处置用时（工作小时）", "Handling time, mean (working hours)"),
    "ratings": ("评价数", "Ratings"),
    "rating_mean": ("平均评分", "Mean rating"),
    "satisfied": ("满意率", "Satisfaction rate"),
}

Row = tuple[str, str, str, int | None, int | None, int | float | None]


def indicator_rows(result: Indicators) -> Iterator[Row]:
    """One row a figure, in the order `Indicators` declares them."""
    for field in fields(result):
        zh, en = LABELS[field.name]
        value = getattr(result, field.name)
        if isinstance(value, Ratio):
            yield field.name, zh, en, value.numerator, value.denominator, value.value
        else:
            yield field.name, zh, en, None, None, value


def indicators_csv(result: Indicators) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in indicator_rows(result):
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue().encode("utf-8-sig")


def indicators_xlsx(result: Indicators, query: Sequence[tuple[str, str]] = ()) -> bytes:
    """The figures on one sheet, and what was asked (area, period, as_of …) on another."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook always has its first sheet
    sheet.title = "indicators"
    sheet.append(HEADER)
    for row in indicator_rows(result):
        sheet.append(row)
    asked = book.create_sheet("query")
    for name, text in query:
        asked.append([name, None])
        cell = asked.cell(row=asked.max_row, column=2, value=text)
        cell.data_type = "s"  # text as given, never a formula, even if it starts with "="
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
