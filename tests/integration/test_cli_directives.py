"""`civicgrid directives`, in-process on SQLite and PostgreSQL, with a pinned clock."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from civicgrid.bootstrap import Container, bootstrap
from civicgrid.cli import context
from civicgrid.cli.main import app
from civicgrid.domain.access import Role
from civicgrid.services import users
from civicgrid.services.area_import import import_areas
from tests.conftest import TEST_SECRET
from tests.factories import small_city
from tests.fixtures import Clock

MORNING = datetime(2026, 7, 20, 0, 0, tzinfo=UTC)  # 08:00 in Zhengzhou
MICRO = "41010200100100101"
PEOPLE = {
    "district": (Role.DISTRICT_OFFICER, "410102"),
    "street": (Role.STREET_OFFICER, "410102001"),
    "worker": (Role.GRID_WORKER, MICRO),
}


class PlainHasher:
    def hash(self, password: str) -> str:
        return "plain$" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "plain$" + password

    def needs_rehash(self, password_hash: str) -> bool:
        return False


@dataclass(frozen=True)
class Cli:
    runner: CliRunner
    clock: Clock
    container: Container

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(app, ["directives", *args], catch_exceptions=False)

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.exit_code == 0, result.output
        return result.stdout


@pytest.fixture
def cli(
    container: Container, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Cli:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    for name, (role, code) in PEOPLE.items():
        users.add_user(container.uow(), PlainHasher(), name, "long enough password", now=MORNING)
        users.grant_role(container.uow(), name, role, code, now=MORNING)
    clock = Clock(MORNING)

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
        "CIVICGRID_ZONE": "Asia/Shanghai",
        "COLUMNS": "160",
    }
    return Cli(CliRunner(env=env), clock, container)


def test_a_directive_runs_from_issue_to_rollup_on_the_command_line(cli: Cli) -> None:
    out = cli.ok(
        "issue", "--as", "district", "--title", "检查积水点", "--level", "micro-grid",
        "--sign-by", "10:00", "--due", "18:00", "--field", "points:number:检查点数",
    )  # fmt: skip
    found = re.search(r"directive (\d+) issued from 410102 to 16 unit", out)
    assert found is not None, out
    directive = found.group(1)
    assert "signed version 1" in cli.ok("sign", directive, MICRO, "--as", "worker")
    twice = cli("sign", directive, MICRO, "--as", "worker")
    assert twice.exit_code == 2
    assert "already" in twice.stderr
    cli.ok("feedback", directive, MICRO, "--as", "worker", "--value", "points=4")
    rollup = cli.ok("rollup", directive, "--as", "district")
    assert "16 targeted, 1 signed, 0 in progress, 1 done, 0 overdue" in rollup
    cli.clock.now = MORNING + timedelta(hours=11)  # 19:00: past the 18:00 deadline
    street = cli.ok("rollup", directive, "--as", "street", "--at", "410102001")
    assert "8 targeted, 1 signed, 0 in progress, 1 done, 7 overdue" in street
    laggards = cli.ok("receipts", directive, "--as", "street", "--show", "overdue")
    assert "7 receipt(s) (overdue)" in laggards
    assert MICRO not in laggards
    assert "intact" in cli.ok("verify-log", directive)


def test_the_tick_reminds_at_80_percent_and_escalates_at_the_deadline_once(cli: Cli) -> None:
    out = cli.ok(
        "issue", "--as", "district", "--title", "t", "--code", MICRO, "--code",
        "41010200100100102", "--sign-by", "18:00",
    )  # fmt: skip
    directive = re.search(r"directive (\d+)", out).group(1)  # type: ignore[union-attr]
    cli.clock.now = MORNING + timedelta(hours=7)  # 70 % of the 10 hours: nothing yet
    assert "reminded 0 receipt(s), escalated 0" in cli.ok("tick")
    cli.clock.now = MORNING + timedelta(hours=8, minutes=1)
    cli.ok("sign", directive, MICRO, "--as", "worker")
    assert "reminded 1 receipt(s), escalated 0" in cli.ok("tick")
    assert "reminded 0 receipt(s), escalated 0" in cli.ok("tick")
    cli.clock.now = MORNING + timedelta(hours=10, minutes=1)
    assert "reminded 0 receipt(s), escalated 1" in cli.ok("tick")
    assert "reminded 0 receipt(s), escalated 0" in cli.ok("tick")
    with cli.container.uow() as uow:
        grid = "/410100/410102/410102001/410102001001/410102001001001/"
        inbox = uow.notifications.inbox(0, [grid], offset=0, limit=10)
    assert inbox.count == 1
    assert "1 unit(s) below you did not sign" in inbox.items[0].message


def test_tags_are_set_from_the_command_line_and_select_units(cli: Cli) -> None:
    assert "flood-risk" in cli.ok("tag", MICRO, "--as", "district", "--add", "flood-risk")
    out = cli.ok("preview", "--as", "district", "--tag", "flood-risk")
    assert "1 unit(s) below 410102: 1 微网格 (micro-grid)" in out
    bad = cli("tag", MICRO, "--as", "worker", "--add", "x")
    assert bad.exit_code == 2  # a grid worker may not manage areas
