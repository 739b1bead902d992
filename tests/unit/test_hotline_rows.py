"""Reading 12345 exports: CSV in UTF-8 or GB 18030, XLSX by sheet, row numbers as shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from civicgrid.adapters.files.hotline_rows import check_columns, read_hotline_export
from civicgrid.domain.areas.problems import ImportRejected

TEXT = "工单编号,诉求内容\nA-1,路灯不亮\n,\nA-2,井盖缺失\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_reads_in_the_encodings_chinese_spreadsheets_save(
    tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(TEXT.encode(encoding))
    table = read_hotline_export(path)
    assert table.headings == ["工单编号", "诉求内容"]
    # The blank line 3 is skipped; the next order keeps its own row number.
    assert table.rows == [
        (2, {"工单编号": "A-1", "诉求内容": "路灯不亮"}),
        (4, {"工单编号": "A-2", "诉求内容": "井盖缺失"}),
    ]


def test_an_xlsx_sheet_is_read_by_name(tmp_path: Path) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.append(["not this"])
    sheet = book.create_sheet("工单")
    sheet.append(["工单编号", "诉求内容", "纬度"])
    sheet.append([1001, "路灯不亮", 34.7])
    path = tmp_path / "orders.xlsx"
    book.save(path)
    table = read_hotline_export(path, sheet="工单")
    assert table.rows == [(2, {"工单编号": 1001, "诉求内容": "路灯不亮", "纬度": 34.7})]
    with pytest.raises(ImportRejected, match="no sheet"):
        read_hotline_export(path, sheet="missing")


def test_files_that_are_no_export_are_rejected_whole(tmp_path: Path) -> None:
    odd = tmp_path / "orders.txt"
    odd.write_text("x")
    with pytest.raises(ImportRejected, match=r"\.csv or \.xlsx"):
        read_hotline_export(odd)
    fake = tmp_path / "orders.xlsx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(ImportRejected, match=r"not a readable \.xlsx"):
        read_hotline_export(fake)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportRejected, match="no column headings"):
        read_hotline_export(empty)


def test_every_mapped_column_missing_from_the_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(TEXT.encode())
    table = read_hotline_export(path)
    with pytest.raises(ImportRejected) as caught:
        check_columns(
            table, {"order_id": "工单编号", "address": "地址", "lat": "纬度"}, "orders.csv"
        )
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("address", "no column '地址' in the file"),
        ("lat", "no column '纬度' in the file"),
    ]
