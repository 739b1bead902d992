"""docs/directives.md's worked example (the 金水区 flood drill) runs as written."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.conftest import TEST_SECRET
from tests.integration.worked_example import Step, checked, png, run_document

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "directives.md"


@pytest.mark.slow
def test_the_flood_drill_in_the_directives_document_runs_as_written(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drill.png").write_bytes(png())
    env = {
        "CIVICGRID_DATABASE_URL": database_url,
        "CIVICGRID_DATA_DIR": str(tmp_path / "var"),
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
        "CIVICGRID_ZONE": "Asia/Shanghai",
    }
    ran: list[str] = []

    def check(step: Step, output: str) -> None:
        printed = {line.strip() for line in output.splitlines()}
        for line in filter(checked, step.expected):
            assert line.strip() in printed, f"{shlex.join(step.command)}: no line {line!r}"
        ran.append(step.command[0])

    run_document(DOCUMENT, env, monkeypatch.setattr, check)
    assert ran.count("directives") >= 10
    assert ran.count("reports") >= 8
