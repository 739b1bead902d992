"""Reading 12345 rows through a column mapping, and reading the mapping file itself."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from civicgrid.adapters.files.hotline_mapping import read_hotline_mapping
from civicgrid.domain.areas.problems import ImportRejected
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.hotline import Cell, HotlineMapping, read_order

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAPPING = HotlineMapping(
    order_id="工单编号",
    description="诉求内容",
    category="诉求分类",
    address="地址",
    lat="纬度",
    lon="经度",
    received_at="来电时间",
    contact_name="来电人",
    categories={"市容/垃圾": "event:0101"},
)
EXAMPLE = Path(__file__).parents[2] / "src/civicgrid/data/hotline/example_mapping.yaml"


def _row(**cells: Cell) -> dict[str, Cell]:
    base: dict[str, Cell] = {
        "工单编号": "A-1",
        "诉求内容": "垃圾没人收",
        "诉求分类": "市容/垃圾",
        "地址": "二七区淮河社区",
        "来电时间": "2026-11-30 09:15",
    }
    base.update(cells)
    return base


def test_a_good_row_reads_in_the_exports_local_time() -> None:
    order = read_order(2, _row(来电人="张三"), MAPPING, SHANGHAI)
    assert order.order_id == "A-1"
    assert order.category == "event:0101"
    assert order.received_at == datetime(2026, 11, 30, 9, 15, tzinfo=SHANGHAI)
    assert order.contact_name == "张三"
    assert "地址：二七区淮河社区" in order.case_description
    assert "12345工单 A-1，来电时间 2026-11-30 09:15" in order.case_description


def test_a_spreadsheet_number_id_reads_without_its_decimal_point() -> None:
    order = read_order(2, _row(工单编号=20261130001.0), MAPPING, SHANGHAI)
    assert order.order_id == "20261130001"


def test_coordinates_may_replace_the_address() -> None:
    order = read_order(2, _row(地址="", 纬度="34.7", 经度=113.6), MAPPING, SHANGHAI)
    assert (order.lat, order.lon) == (34.7, 113.6)


@pytest.mark.parametrize(
    ("cells", "field", "says"),
    [
        ({"工单编号": ""}, "order_id", "no order id"),
        ({"诉求内容": " "}, "description", "no description"),
        ({"诉求分类": "其他"}, "category", "'其他' is not in the mapping"),
        ({"地址": ""}, "address", "no coordinates and no address"),
        ({"纬度": "34.7"}, "lat", "both latitude and longitude"),
        ({"纬度": "north", "经度": "1"}, "lat", "'north' is not a number"),
        ({"纬度": "95", "经度": "1"}, "lat", "out of range"),
        ({"来电时间": "yesterday"}, "received_at", "not a date and time"),
    ],
)
def test_a_bad_row_names_the_field_and_the_problem(
    cells: dict[str, Cell], field: str, says: str
) -> None:
    with pytest.raises(InvalidInput, match=says) as caught:
        read_order(7, _row(**cells), MAPPING, SHANGHAI)
    assert caught.value.field == field


def test_the_default_category_takes_what_the_mapping_does_not_list() -> None:
    mapping = HotlineMapping(
        order_id="工单编号",
        description="诉求内容",
        category="诉求分类",
        address="地址",
        default_category="event:0103",
    )
    assert read_order(2, _row(诉求分类="其他"), mapping, SHANGHAI).category == "event:0103"


def test_the_shipped_example_mapping_reads() -> None:
    read = read_hotline_mapping(EXAMPLE.read_bytes(), source_name=EXAMPLE.name)
    assert read.mapping.order_id == "工单编号"
    assert read.mapping.categories["突发事件/井盖缺失"] == "event:0404"
    assert set(read.mapping.columns()) >= {"order_id", "description", "address", "lat", "lon"}


def test_a_bad_mapping_is_rejected_with_every_problem_listed() -> None:
    text = "columns:\n  order: 工单编号\n  lat: 纬度\nextra: 1\n"
    with pytest.raises(ImportRejected) as caught:
        read_hotline_mapping(text.encode(), source_name="m.yaml")
    found = {(p.location, p.field) for p in caught.value.problems}
    assert {
        ("file", "extra"),
        ("columns", "order"),
        ("columns", "order_id"),
        ("columns", "description"),
        ("columns", "lat"),
        ("file", "categories"),
    } <= found


def test_a_mapping_that_is_not_yaml_names_the_line() -> None:
    with pytest.raises(ImportRejected) as caught:
        read_hotline_mapping(b"columns: [unclosed\n", source_name="m.yaml")
    assert caught.value.problems[0].location.startswith("line")
