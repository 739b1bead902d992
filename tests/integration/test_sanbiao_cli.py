"""`civicgrid sanbiao`, in-process on SQLite and PostgreSQL: values, standards, gaps, ranking."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.factories import small_city
from tests.integration.test_cli import Cli, _environment, _geojson

RETAIL = "economy.retail_sales"


@pytest.fixture
def city(database_url: str, tmp_path: Path) -> Cli:
    env = {**_environment(database_url, tmp_path / "var"), "COLUMNS": "250"}  # no wrapped cells
    cli = Cli(CliRunner(env=env), tmp_path)
    result = cli("areas", "import", cli.write("city.geojson", _geojson(small_city())))
    assert result.exit_code == 0, result.output
    return cli


def test_values_standards_gaps_and_ranking_through_the_cli(city: Cli) -> None:
    listed = city("sanbiao", "catalogue")
    assert listed.exit_code == 0, listed.output
    assert "社会消费品零售总额" in listed.stdout
    assert "按期结案率" in listed.stdout
    for year, east, west in (("2021", "800", "900"), ("2022", "950", "920")):
        for area, value in (("410102", east), ("410103", west)):
            done = city("sanbiao", "value", RETAIL, area, year, value, "--source", "synthetic")
            assert done.exit_code == 0, done.output
    refused = city("sanbiao", "value", RETAIL, "410102", "2022", "951", "--source", "synthetic")
    assert refused.exit_code != 0
    assert "a correction needs a reason" in refused.stderr
    fixed = city(
        "sanbiao",
        "value",
        RETAIL,
        "410102",
        "2022",
        "951",
        "--source",
        "bulletin",
        "--reason",
        "revised",
    )
    assert "version 2 = 951" in fixed.stdout
    history = city("sanbiao", "history", RETAIL, "410102", "2022")
    assert "revised" in history.stdout
    assert "950" in history.stdout
    standard = city("sanbiao", "standard", "410102", RETAIL, "2022", "--target", "1000")
    assert standard.exit_code == 0, standard.output
    gaps = city("sanbiao", "gaps", "410102", "--period", "2022")
    assert gaps.exit_code == 0, gaps.output
    row = next(line for line in gaps.stdout.splitlines() if "社会消费品零售总额" in line)
    assert "+49.00" in row  # 1,000 - 951
    assert "1/2" in row
    ranking = city("sanbiao", "ranking", RETAIL, "2022", "--areas", "410102,410103")
    assert ranking.exit_code == 0, ranking.output
    lines = [line for line in ranking.stdout.splitlines() if "410102" in line]
    assert "+1" in lines[0]  # second in 2021, first in 2022
