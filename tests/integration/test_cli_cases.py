"""`civicgrid cases`, run in-process on SQLite and on PostgreSQL.

People and the city are set up through the use cases; everything after goes through
the command line as a named user (`--as`). The CLI's clock is pinned (`Clock`), so
working-time limits and traffic lights do not depend on when the tests run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from typer.testing import CliRunner, Result

from civicgrid.adapters.db.tables import CaseEventRow
from civicgrid.bootstrap import Container, bootstrap
from civicgrid.cli import context
from civicgrid.cli.main import app
from civicgrid.domain.cases.stages import Stage
from civicgrid.services.area_import import import_areas
from civicgrid.services.attachments import upload_attachment
from civicgrid.services.cases.actors import get_user_principal
from tests.factories import centre_of, small_city
from tests.fixtures import CASE_WORKERS, MICRO, MONDAY_9AM, TEST_SECRET, Clock, add_people

NEIGHBOUR = "41010200100100102"
GARBAGE = "event:0101"  # 暴露垃圾: 30 working minutes to accept
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@dataclass(frozen=True)
class Cli:
    """`civicgrid cases …` against one database, at the time on `clock`."""

    runner: CliRunner
    clock: Clock
    container: Container  # the same database, for what a user cannot do: edit the log

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(app, ["cases", *args], catch_exceptions=False)

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.exit_code == 0, result.output
        return result.stdout

    def report(self, who: str = "inspector", *extra: str) -> int:
        lat, lon = centre_of(next(a for a in small_city() if a.code == MICRO))
        where = extra or ("--lat", str(lat), "--lon", str(lon))
        out = self.ok("report", "--as", who, "--category", GARBAGE, "--description", "垃圾", *where)
        found = re.search(r"case (\d+) reported", out)
        assert found is not None, out
        return int(found.group(1))

    def act(self, who: str, action: str, case_id: int, *args: str) -> str:
        self.clock.now += timedelta(minutes=1)
        return self.ok(action, str(case_id), "--as", who, *args)


@pytest.fixture
def cli(
    container: Container, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Cli:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    add_people(container, CASE_WORKERS)
    clock = Clock()

    def pinned(*args: Any, **kwargs: Any) -> Container:
        built = bootstrap(*args, **kwargs)
        built.clock = clock
        return built

    monkeypatch.setattr(context, "bootstrap", pinned)
    env = {
        "CIVICGRID_DATABASE_URL": database_url,
        "CIVICGRID_DATA_DIR": str(tmp_path / "var"),
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
        "CIVICGRID_SNAP_TOLERANCE_M": None,
        "CIVICGRID_ZONE": None,
        "COLUMNS": "160",  # wide enough that table cells are not wrapped
    }
    return Cli(CliRunner(env=env), clock, container)


def _run_to_handle(cli: Cli) -> int:
    case_id = cli.report()
    cli.act("acceptor", "accept", case_id)
    cli.act("leader", "file", case_id, "--note", "立案")
    cli.act("dispatcher", "dispatch", case_id, "--department", "city_management")
    return case_id


def _run_to_verify(cli: Cli) -> int:
    case_id = _run_to_handle(cli)
    cli.act("handler", "handle", case_id, "--result", "已清运")
    cli.act("dispatcher", "feedback", case_id)
    return case_id


def test_a_case_runs_every_stage_from_the_command_line(cli: Cli) -> None:
    case_id = _run_to_verify(cli)
    verified = cli.act("inspector", "verify", case_id, "--passed")
    assert f"case {case_id}: verify by inspector; now at 核查结案 (verify_close), open" in verified
    closed = cli.act("leader", "close", case_id, "--outcome", "fixed")
    assert "now at 综合评价 (evaluate), closed" in closed
    noted = cli.act("inspector", "note", case_id, "--text", "回访无异常")
    assert "note by inspector" in noted
    shown = cli.ok("show", str(case_id), "--as", "leader")
    events = re.findall(r"│ (\d+) +│ 2026-11-23 \d\d:\d\d +│ (\w+)", shown)
    assert [name for _, name in events] == [
        *("reported", "accepted", "filed", "dispatched", "handled"),
        *("feedback_forwarded", "verified", "closed", "noted"),
    ]
    assert "checked 1 case(s), 9 event(s): the log is intact" in cli.ok("verify-log")


def test_handling_and_notes_carry_attachments_from_the_command_line(cli: Cli) -> None:
    case_id = _run_to_handle(cli)
    c = cli.container
    handler = get_user_principal(c.uow(), "handler")

    def upload(name: str) -> str:
        store = c.attachment_store
        return upload_attachment(
            c.uow(), store, handler, name, "image/jpeg", JPEG, now=MONDAY_9AM
        ).id

    after_work, receipt = upload("after.jpg"), upload("receipt.jpg")
    unknown = cli(
        "handle", str(case_id), "--as", "handler", "--result", "x", "--attachment", "0" * 32
    )
    assert unknown.exit_code == 2
    assert f"no attachment {'0' * 32}; upload it first" in unknown.stderr
    cli.act("handler", "handle", case_id, "--result", "已清运", "--attachment", after_work)
    cli.act("handler", "note", case_id, "--attachment", receipt, "--attachment", after_work)
    with c.uow() as uow:
        events = uow.cases.events(case_id)
    assert [(e.type.value, e.attachments) for e in events if e.attachments] == [
        ("handled", (after_work,)),
        ("noted", (receipt, after_work)),
    ]


def test_a_public_report_is_checked_on_site_before_it_is_filed(cli: Cli) -> None:
    case_id = cli.report("acceptor", "--area", MICRO, "--source", "hotline", "--urgent")
    cli.act("acceptor", "accept", case_id)
    unchecked = cli("file", str(case_id), "--as", "leader")
    assert unchecked.exit_code == 2
    assert "it needs an on-site check (核实) before filing" in unchecked.stderr
    cli.act("inspector", "check", case_id, "--passed")
    assert "now at 任务派遣 (dispatch)" in cli.act("leader", "file", case_id)


def test_the_side_paths_run_from_the_command_line(cli: Cli) -> None:
    case_id = cli.report()
    for who, action, args, expected in [
        ("acceptor", "accept", (), "案卷建立 (file), open"),
        ("leader", "return", ("--reason", "信息不全"), "信息收集 (collect), open"),
        ("acceptor", "accept", (), "案卷建立 (file), open"),
        ("leader", "file", (), "任务派遣 (dispatch), open"),
        ("dispatcher", "dispatch", ("--department", "city_management"), "(handle), open"),
        ("handler", "handle", ("--result", "已处理"), "处理反馈 (feedback), open"),
        ("dispatcher", "feedback", ("--note", "请核查"), "核查结案 (verify_close), open"),
        ("inspector", "verify", ("--failed", "--note", "仍有垃圾"), "任务处理 (handle), open"),
        ("inspector", "note", ("--text", "已通知部门"), "任务处理 (handle), open"),
        ("leader", "void", ("--reason", "重复录入"), "综合评价 (evaluate), void"),
    ]:
        assert expected in cli.act(who, action, case_id, *args), action
    # A duplicate merges only into a case still open: a fresh report survives.
    survivor = cli.report()
    duplicate = cli.report()
    merged = cli.act("acceptor", "merge", duplicate, "--into", str(survivor))
    assert "综合评价 (evaluate), closed" in merged
    assert f"into={survivor}" in cli.ok("show", str(duplicate), "--as", "leader")


def test_a_handler_asks_for_time_and_a_hold_from_the_command_line(cli: Cli) -> None:
    case_id = _run_to_handle(cli)
    for who, action, args, expected in [
        ("handler", "extension", ("--hours", "2", "--reason", "等配件"), "(handle), open"),
        ("leader", "extension-decision", ("--approve",), "(handle), open"),
        ("handler", "hold", ("--reason", "待审批"), "(handle), open"),
        ("leader", "hold-decision", ("--approve", "--reason", "同意"), "(handle), on_hold"),
        ("handler", "hold-release", (), "(handle), open"),
        ("handler", "return", ("--reason", "非本部门"), "任务派遣 (dispatch), open"),
    ]:
        assert expected in cli.act(who, action, case_id, *args), action


def test_closing_without_a_fix_needs_a_reason(cli: Cli) -> None:
    case_id = _run_to_verify(cli)
    cli.act("inspector", "verify", case_id, "--passed")
    bare = cli("close", str(case_id), "--as", "leader", "--outcome", "closed_not_fixed")
    assert bare.exit_code == 2
    assert "error (reason): reason is required" in bare.stderr
    cli.act("leader", "close", case_id, "--outcome", "closed_not_fixed", "--reason", "不属实")
    not_offered = cli("close", str(case_id), "--as", "leader", "--outcome", "duplicate")
    assert not_offered.exit_code == 2
    assert "Invalid value for '--outcome'" in not_offered.stderr


@pytest.mark.parametrize(
    ("who", "args", "message"),
    [
        (
            "dispatcher",
            ("accept",),
            "a dispatcher cannot accept a case at 信息收集 (collect); "
            "accepting (受理) is for the acceptor",
        ),
        ("nobody", ("accept",), "error (username): no user nobody"),
        ("inspector", ("file",), "case 1 is at 信息收集 (collect); filing (立案) happens at"),
        ("acceptor", ("rate", "--score", "5"), "rating (评价) happens at 综合评价 (evaluate)"),
    ],
)
def test_a_wrong_position_exits_2_with_the_rule(
    cli: Cli, who: str, args: tuple[str, ...], message: str
) -> None:
    case_id = cli.report()
    assert case_id == 1
    result = cli(args[0], str(case_id), "--as", who, *args[1:])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_list_shows_each_case_with_its_traffic_light(cli: Cli) -> None:
    first = cli.report()
    second = cli.report("leader", "--area", NEIGHBOUR, "--source", "staff")
    cli.act("acceptor", "accept", second)
    cli.clock.now = MONDAY_9AM + timedelta(minutes=26)  # 受理 allows 30 working minutes
    listed = cli.ok("list", "--as", "leader")
    assert "2 case(s); page 1 of 1; times in Asia/Shanghai" in listed
    assert _list_row(listed, first)[:3] == [str(first), "● warning", "信息收集 (collect)"]
    assert _list_row(listed, second)[:3] == [str(second), "● normal", "案卷建立 (file)"]
    cli.clock.now = MONDAY_9AM + timedelta(minutes=31)
    overdue = cli.ok("list", "--as", "leader", "--overdue")
    assert _list_row(overdue, first)[1] == "● overdue"
    assert "1 case(s)" in overdue
    assert "1 case(s)" in cli.ok("list", "--as", "leader", "--stage", "file")
    assert "1 case(s)" in cli.ok("list", "--as", "leader", "--within", NEIGHBOUR)
    assert "0 case(s)" in cli.ok("list", "--as", "leader", "--status", "closed")
    inspector = cli.ok("list", "--as", "inspector")  # their micro-grid only
    assert "1 case(s)" in inspector
    assert _list_row(inspector, first)


def test_show_offers_only_what_the_viewer_may_do(cli: Cli) -> None:
    case_id = cli.report()
    as_acceptor = cli.ok("show", str(case_id), "--as", "acceptor")
    assert _table_row(as_acceptor, "stage") == "信息收集 (collect)"
    assert _table_row(as_acceptor, "light") == "● normal"
    assert _table_row(as_acceptor, "deadline") == "2026-11-23 09:30"
    assert "accept" in _table_row(as_acceptor, "you may").split(", ")
    as_dispatcher = cli.ok("show", str(case_id), "--as", "dispatcher")
    assert "accept" not in _table_row(as_dispatcher, "you may").split(", ")
    missing = cli("show", "99", "--as", "leader")
    assert missing.exit_code == 2
    assert "no case 99" in missing.stderr


def test_the_tick_escalates_an_overdue_case_once(cli: Cli) -> None:
    case_id = cli.report()
    later = "2026-11-23T09:45:00+08:00"  # 45 working minutes after the report
    assert "escalated 1 case(s)" in cli.ok("tick", "--now", later)
    assert "escalated 0 case(s)" in cli.ok("tick", "--now", later)
    cli.clock.now = datetime.fromisoformat(later)
    assert "escalated 0 case(s)" in cli.ok("tick")
    shown = cli.ok("show", str(case_id), "--as", "leader")
    assert _table_row(shown, "area") == f"{MICRO}, escalated ↑1"
    assert "escalated" in re.findall(r"│ \d+ +│ [\d: -]+ │ (\w+)", shown)
    for bad, message in [("yesterday", "is not an ISO time"), ("2026-11-23T10:00", "offset")]:
        refused = cli("tick", "--now", bad)
        assert refused.exit_code == 2
        assert message in refused.stderr


def test_verify_log_names_every_case_whose_history_was_edited(cli: Cli) -> None:
    # Reported by area, without a point, so no suspected-duplicate notes join the log.
    edited_reason, edited_data, resealed, intact = (
        cli.report("inspector", "--area", MICRO) for _ in range(4)
    )
    for case_id in (edited_reason, edited_data, resealed, intact):
        cli.act("acceptor", "accept", case_id)
    cli.act("leader", "file", edited_reason, "--note", "立案")
    assert "checked 4 case(s), 9 event(s): the log is intact" in cli.ok("verify-log")

    _edit(cli, edited_reason, 3, reason="改过的")
    _edit(cli, edited_data, 1, data={"category": "event:0102"})
    _reseal_into_the_wrong_stage(cli, resealed)

    result = cli("verify-log")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"checked 4 case(s), 9 event(s): 3 case(s) broken: "
        f"{edited_reason}, {edited_data}, {resealed}"
    )
    assert lines[1:] == [
        f"  case {edited_reason} event 3: content does not match its hash (edited?)",
        f"  case {edited_data} event 1: content does not match its hash (edited?)",
        f"  case {resealed} event 2: accepted here leads to file",
    ]


def _reseal_into_the_wrong_stage(cli: Cli, case_id: int) -> None:
    """Rewrite the last event with a fresh hash: the chain holds, the fold does not."""
    with cli.container.uow() as uow:
        last = uow.cases.events(case_id)[-1]
    forged = replace(last, to_stage=Stage.DISPATCH).sealed()
    _edit(cli, case_id, last.seq, to_stage=Stage.DISPATCH.value, hash=forged.hash)


def _edit(cli: Cli, case_id: int, seq: int, **values: object) -> None:
    """UPDATE one stored event behind the application's back."""
    with cli.container.engine.begin() as conn:
        conn.execute(
            update(CaseEventRow)
            .where(CaseEventRow.case_id == case_id, CaseEventRow.seq == seq)
            .values(**values)
        )


def _list_row(output: str, case_id: int) -> list[str]:
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip("│ ").split("│")]
        if cells and cells[0] == str(case_id):
            return cells
    raise AssertionError(f"no row for case {case_id} in\n{output}")


def _table_row(output: str, field: str) -> str:
    found = re.search(rf"│ {re.escape(field)}\s*│ (.*?)\s*│", output)
    assert found is not None, f"no row {field!r} in\n{output}"
    return found.group(1)
