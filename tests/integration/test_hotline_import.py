"""12345 import on both engines: each order once, placed by point or address, bad rows told."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from civicgrid.adapters.files.hotline_mapping import read_hotline_mapping
from civicgrid.adapters.files.hotline_rows import check_columns, read_hotline_export
from civicgrid.bootstrap import Container
from civicgrid.cli.main import app
from civicgrid.domain.areas import Level
from civicgrid.domain.areas.problems import ImportRejected
from civicgrid.domain.cases.events import EventType
from civicgrid.domain.cases.stages import Source
from civicgrid.services.case_ports import CaseFilter
from civicgrid.services.cases.intake import ReportRequest, report_case
from civicgrid.services.hotline import (
    HotlineImport,
    RowStatus,
    hotline_principal,
    import_hotline_orders,
)
from tests.conftest import TEST_SECRET
from tests.factories import centre_of, small_city
from tests.integration.hotline_city import load_named_city

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
MAPPING = """
columns:
  order_id: 工单编号
  received_at: 来电时间
  category: 诉求分类
  description: 诉求内容
  address: 事发地址
  lat: 纬度
  lon: 经度
  contact_name: 来电人
  contact_phone: 来电号码
categories:
  暴露垃圾: "event:0101"
  占道经营: "event:0501"
"""
HEADINGS = [
    "工单编号",
    "来电时间",
    "诉求分类",
    "诉求内容",
    "事发地址",
    "纬度",
    "经度",
    "来电人",
    "来电号码",
]
MICRO = next(a for a in small_city() if a.code == "41010300100200101")
LAT, LON = centre_of(MICRO)
ROWS = [
    [
        "H-1",
        "2026-11-30 08:00",
        "暴露垃圾",
        "垃圾堆积",
        "二七区淮河路办事处淮河社区门口",
        "",
        "",
        "张三",
        "13800000001",
    ],
    [
        "H-2",
        "2026-11-30 08:10",
        "占道经营",
        "摊贩占道",
        "中原区林山寨街道办事处西侧",
        "",
        "",
        "",
        "",
    ],
    ["H-3", "2026-11-30 08:20", "暴露垃圾", "垃圾桶满", "", f"{LAT}", f"{LON}", "", ""],
    ["H-4", "2026-11-30 08:30", "其他", "咨询", "二七区淮河社区", "", "", "", ""],
    ["H-5", "2026-11-30 08:40", "暴露垃圾", "垃圾", "二七区某处", "", "", "", ""],
    ["H-1", "2026-11-30 08:50", "暴露垃圾", "又一次", "二七区淮河社区", "", "", "", ""],
    ["", "2026-11-30 09:00", "暴露垃圾", "没有编号", "二七区淮河社区", "", "", "", ""],
]


@pytest.fixture
def named(container: Container) -> Container:
    return load_named_city(container)


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADINGS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _import(c: Container, path: Path, within: str | None = None) -> HotlineImport:
    read = read_hotline_mapping(MAPPING.encode(), source_name="mapping.yaml")
    table = read_hotline_export(path)
    check_columns(table, read.mapping.columns(), path.name)
    return import_hotline_orders(
        c.uow(),
        c.locators,
        c.rules,
        table.rows,
        read.mapping,
        zone=ZoneInfo("Asia/Shanghai"),
        now=NOW,
        snap_tolerance_m=c.settings.snap_tolerance_m,
        within=within,
        source_file=path.name,
    )


def _by_row(result: HotlineImport) -> dict[int, tuple[RowStatus, str | None, Level | None, str]]:
    return {o.row: (o.status, o.area_code, o.located_level, o.reason) for o in result.outcomes}


def test_good_rows_become_hotline_cases_and_bad_rows_are_told_by_row(
    named: Container, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(_csv(ROWS))
    result = _import(named, path)
    rows = _by_row(result)
    assert rows[2][:3] == (RowStatus.CREATED, "410103001001", Level.COMMUNITY)
    assert rows[3][:3] == (RowStatus.CREATED, "410102001", Level.STREET)
    assert rows[4][:3] == (RowStatus.CREATED, MICRO.code, Level.MICRO_GRID)
    assert rows[5][0] is RowStatus.REJECTED
    assert "'其他' is not in the mapping" in rows[5][3]
    assert rows[6][0] is RowStatus.REJECTED
    assert "names only the district" in rows[6][3]
    assert rows[7][0] is RowStatus.REJECTED
    assert "appears already on row 2" in rows[7][3]
    assert rows[8][0] is RowStatus.REJECTED
    assert "no order id" in rows[8][3]
    assert (result.count(RowStatus.CREATED), result.count(RowStatus.REJECTED)) == (3, 4)
    assert result.filed_above_micro_grid == 2
    summary = result.as_dict()
    assert json.loads(json.dumps(summary))["rejected"] == 4

    with named.uow() as uow:
        cases = {o.row: uow.cases.get(o.case_id) for o in result.outcomes if o.case_id}
        street_case = cases[3]
        assert street_case is not None
        assert street_case.source is Source.HOTLINE
        events = uow.cases.events(street_case.id)
        contact = uow.cases.contact(cases[2].id)  # type: ignore[union-attr]
        point_events = uow.cases.events(cases[4].id)  # type: ignore[union-attr]
    notes = [e for e in events if e.type is EventType.NOTED]
    assert len(notes) == 1
    assert "located by address to street level" in notes[0].data["text"].lower()
    assert "林山寨街道" in notes[0].data["text"]
    assert not [e for e in point_events if e.type is EventType.NOTED]  # a point needs no note
    assert "摊贩占道" in events[0].data["description"]
    assert "12345工单 H-2" in events[0].data["description"]
    assert contact is not None
    assert (contact.name, contact.phone) == ("张三", "13800000001")


def test_importing_the_same_file_twice_creates_nothing_new(
    named: Container, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(_csv(ROWS[:3]))
    first = _import(named, path)
    second = _import(named, path)
    assert first.count(RowStatus.CREATED) == 3
    assert second.count(RowStatus.CREATED) == 0
    assert second.count(RowStatus.ALREADY_IMPORTED) == 3
    assert [(o.case_id, o.area_code, o.located_level) for o in first.outcomes] == [
        (o.case_id, o.area_code, o.located_level) for o in second.outcomes
    ]
    with named.uow() as uow:
        assert uow.cases.listing(["/"], CaseFilter(), offset=0, limit=100).count == 3


def test_an_xlsx_export_reads_like_the_csv(named: Container, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADINGS)
    sheet.append(
        [
            20261130001,
            datetime(2026, 11, 30, 8, 0),  # noqa: DTZ001 - a spreadsheet cell has no zone
            "暴露垃圾",
            "垃圾",
            "淮河社区",
            None,
            None,
            None,
            None,
        ]
    )
    sheet.append([20261130002, None, "暴露垃圾", "垃圾", None, LAT, LON, None, None])
    path = tmp_path / "orders.xlsx"
    book.save(path)
    result = _import(named, path)
    assert [(o.order_id, o.status) for o in result.outcomes] == [
        ("20261130001", RowStatus.CREATED),
        ("20261130002", RowStatus.CREATED),
    ]


def test_an_import_limited_to_a_district_files_nothing_outside_it(
    named: Container, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(_csv(ROWS[:2]))
    result = _import(named, path, within="410103")
    rows = _by_row(result)
    assert rows[2][0] is RowStatus.CREATED
    # 林山寨街道 lies in 中原区: the channel's index for 二七区 does not know it.
    assert rows[3][0] is RowStatus.REJECTED
    assert "names no district, street or community" in rows[3][3]


def test_a_file_missing_a_mapped_column_is_rejected_whole(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes("工单编号,诉求内容\nA,B\n".encode())
    read = read_hotline_mapping(MAPPING.encode(), source_name="mapping.yaml")
    with pytest.raises(ImportRejected) as caught:
        check_columns(read_hotline_export(path), read.mapping.columns(), path.name)
    assert {p.field for p in caught.value.problems} >= {"address", "lat", "category"}


def test_the_cli_prints_a_summary_and_json_and_exits_3_on_rejected_rows(
    named: Container, tmp_path: Path
) -> None:
    orders, mapping = tmp_path / "orders.csv", tmp_path / "mapping.yaml"
    orders.write_bytes(_csv(ROWS))
    mapping.write_text(MAPPING, encoding="utf-8")
    env = {
        "CIVICGRID_DATABASE_URL": named.settings.database_url,
        "CIVICGRID_DATA_DIR": str(tmp_path / "var"),
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
        "CIVICGRID_FEED_URL": "memory",
        "COLUMNS": "200",
    }
    runner = CliRunner()
    args = ["channels", "import-hotline", str(orders), "--mapping", str(mapping)]
    shown = runner.invoke(app, args, env=env, catch_exceptions=False)
    assert shown.exit_code == 3, shown.output
    assert "12345 import of orders.csv" in shown.output
    assert "names only the district" in shown.output
    again = runner.invoke(app, [*args, "--json"], env=env, catch_exceptions=False)
    body = json.loads(again.output)
    assert (body["created"], body["already_imported"], body["rejected"]) == (0, 3, 4)
    assert body["outcomes"][5] == {
        "row": 7,
        "order_id": "H-1",
        "status": "rejected",
        "case_id": None,
        "area_code": None,
        "located_level": None,
        "reason": "order H-1 appears already on row 2",
    }
    broken = tmp_path / "broken.yaml"
    broken.write_text("columns: {order_id: 工单编号}\n", encoding="utf-8")
    refused = runner.invoke(
        app, ["channels", "import-hotline", str(orders), "--mapping", str(broken)], env=env
    )
    assert refused.exit_code == 2
    assert "description" in refused.output


def test_a_case_left_without_its_order_record_is_claimed_not_doubled(
    named: Container, tmp_path: Path
) -> None:
    # As if an earlier import had opened the case and stopped before recording the order.
    channel = hotline_principal(named.uow(), None)
    orphan = report_case(
        named.uow(),
        named.locators,
        named.rules,
        channel,
        ReportRequest(
            category="event:0101",
            description="垃圾",
            source=Source.HOTLINE,
            area_code="410103001001",
            idempotency_key="hotline:H-1",
        ),
        now=NOW,
        snap_tolerance_m=50,
    ).case
    path = tmp_path / "orders.csv"
    path.write_bytes(_csv(ROWS[:1]))
    first = _import(named, path)
    assert [(o.status, o.case_id) for o in first.outcomes] == [
        (RowStatus.ALREADY_IMPORTED, orphan.id)
    ]
    with named.uow() as uow:
        found = uow.hotline_orders.find("H-1")
        assert found is not None
        assert (found.case_id, found.area_code, found.located_level) == (
            orphan.id,
            "410103001001",
            Level.COMMUNITY,
        )
        assert uow.cases.listing(["/"], CaseFilter(), offset=0, limit=10).count == 1


def test_the_channel_files_only_inside_its_subtree_even_by_coordinates(
    named: Container, tmp_path: Path
) -> None:
    inside_zhongyuan = next(a for a in small_city() if a.code == "41010200100100101")
    lat, lon = centre_of(inside_zhongyuan)
    path = tmp_path / "orders.csv"
    path.write_bytes(_csv([["P-1", "", "暴露垃圾", "垃圾", "", f"{lat}", f"{lon}", "", ""]]))
    result = _import(named, path, within="410103")
    [outcome] = result.outcomes
    assert outcome.status is RowStatus.REJECTED
    assert "channel:hotline may not operate" in outcome.reason


def test_a_stray_point_falls_back_to_the_address(named: Container, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(
        _csv(
            [
                ["S-1", "", "暴露垃圾", "垃圾", "二七区淮河社区", "0", "0", "", ""],
                ["S-2", "", "暴露垃圾", "垃圾", "", "0", "0", "", ""],
            ]
        )
    )
    rows = _by_row(_import(named, path))
    assert rows[2][:3] == (RowStatus.CREATED, "410103001001", Level.COMMUNITY)
    assert rows[3][0] is RowStatus.REJECTED
    assert "outside the jurisdiction" in rows[3][3]
