"""CIVICGRID_CALENDAR_FILE: a city's holidays reach case deadlines, and a bad file is named."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from civicgrid.bootstrap import case_rules
from civicgrid.cli.main import app
from civicgrid.config import Settings
from civicgrid.domain.areas.problems import ImportRejected
from tests.conftest import TEST_SECRET

SHANGHAI = ZoneInfo("Asia/Shanghai")
EXAMPLE = Path(str(files("civicgrid").joinpath("data/calendar/overrides.example.yaml")))


def settings(tmp_path: Path, calendar_file: Path | None) -> Settings:
    return Settings(
        env="test", secret_key=TEST_SECRET, data_dir=tmp_path, calendar_file=calendar_file
    )


def test_the_shipped_example_makes_new_years_day_2027_a_holiday(tmp_path: Path) -> None:
    new_years_eve_5pm = datetime(2026, 12, 31, 17, tzinfo=SHANGHAI)
    plain = case_rules(settings(tmp_path, None)).calendar
    city = case_rules(settings(tmp_path, EXAMPLE)).calendar
    # Two working hours from Thursday 17:00: Friday 1 January, or Monday 4 January.
    assert plain.add_working(new_years_eve_5pm, 7200) == datetime(2027, 1, 1, 1, 30, tzinfo=UTC)
    assert city.add_working(new_years_eve_5pm, 7200) == datetime(2027, 1, 4, 1, 30, tzinfo=UTC)
    assert not city.is_working_day(date(2026, 10, 1))  # the package's years are kept


def test_a_bad_file_is_rejected_naming_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "calendar.yaml"
    bad.write_text("2027-01-01: holiday\n2027-13-01: holiday\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"calendar.yaml .* line 2.*'2027-13-01'"):
        case_rules(settings(tmp_path, bad))


def test_the_cli_reports_a_bad_calendar_file_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "calendar.yaml"
    bad.write_text("2027-01-04: sometimes\n", encoding="utf-8")
    env = {
        "CIVICGRID_DATA_DIR": str(tmp_path / "var"),
        "CIVICGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "CIVICGRID_CALENDAR_FILE": str(bad),
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
        "COLUMNS": "200",
    }
    result = CliRunner(env=env).invoke(app, ["cases", "tick"])
    assert result.exit_code == 2, result.output
    assert "line 1" in result.output
    assert "'sometimes' is not holiday (休) or workday (班)" in result.output
