"""`civicgrid enterprises` end to end on both engines, as named users."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from civicgrid.bootstrap import Container
from civicgrid.cli.main import app
from civicgrid.domain.access import Role
from civicgrid.services import users
from tests.api.conftest import CheapArgon2
from tests.conftest import TEST_SECRET
from tests.integration.hotline_city import load_named_city

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
USCC = "91350100M000100Y43"


def test_register_assign_request_and_show_from_the_command_line(
    container: Container, tmp_path: Path
) -> None:
    load_named_city(container)
    hasher = CheapArgon2()
    for name, role, code in (
        ("street.li", Role.STREET_OFFICER, "410102001"),
        ("far.wang", Role.STREET_OFFICER, "410103001"),
    ):
        users.add_user(container.uow(), hasher, name, "correct horse battery", now=NOW)
        users.grant_role(container.uow(), name, role, code, now=NOW)
    env = {
        "CIVICGRID_DATABASE_URL": container.settings.database_url,
        "CIVICGRID_DATA_DIR": str(tmp_path / "var"),
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
        "CIVICGRID_FEED_URL": "memory",
        "COLUMNS": "200",
    }
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["enterprises", *args], env=env, catch_exceptions=False)
        return result.exit_code, result.output

    code, out = run(
        "register", "--as", "street.li", USCC, "--name", "示例机械厂",
        "--address", "中原区林山寨街道碧沙岗社区建设路1号",
    )  # fmt: skip
    assert code == 0, out
    assert "410102001001 (community)" in out
    code, out = run("register", "--as", "street.li", "91350100M000100Y44", "--name", "x")
    assert code == 2
    assert "check digit" in out
    code, out = run("assign", "--as", "street.li", USCC, "--official", "street.li")
    assert (code, "street.li" in out) == (0, True)
    code, out = run(
        "request", "--as", "street.li", USCC, "--kind", "financing", "--description", "流动资金贷款"
    )
    assert code == 0, out
    assert "event:1005" in out
    code, out = run("show", "--as", "street.li", USCC)
    assert code == 0, out
    assert "融资需求 financing" in out
    assert "指定包联干部" in out
    code, out = run("show", "--as", "far.wang", USCC)
    assert code == 2
    assert "outside their jurisdiction" in out
    code, out = run("list", "--as", "far.wang")
    assert (code, USCC in out) == (0, False)
