"""`civicgrid reports revise-template`, in-process on SQLite and PostgreSQL."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.factories import small_city
from tests.integration.test_cli import PASSWORD, Cli, _environment, _geojson

FLOOD = (files("civicgrid") / "data" / "reports" / "flood_daily.yaml").read_text(encoding="utf-8")


@pytest.fixture
def flood(database_url: str, tmp_path: Path) -> Cli:
    """The small city, with 防汛日报 installed for 410102 by its district officer."""
    city = Cli(CliRunner(env=_environment(database_url, tmp_path / "var")), tmp_path)
    imported = city("areas", "import", city.write("city.geojson", _geojson(small_city())))
    assert imported.exit_code == 0, imported.output
    assert city("users", "add", "wang.wei", CIVICGRID_NEW_PASSWORD=PASSWORD).exit_code == 0
    assert city("users", "grant", "wang.wei", "district_officer", "410102").exit_code == 0
    added = city(
        "reports",
        "add-template",
        "--as",
        "wang.wei",
        "--area",
        "410102",
        "--builtin",
        "flood-daily",
    )
    assert added.exit_code == 0, added.output
    return city


def test_a_template_is_revised_from_its_file_and_a_removed_field_is_refused(flood: Cli) -> None:
    extra = "  - {key: pumps, type: number, label_zh: 水泵数, required: false}\n"
    revised = flood.write(
        "revised.yaml", FLOOD.replace("name_zh: 防汛日报", "name_zh: 汛期日报") + extra
    )
    done = flood("reports", "revise-template", "flood-daily", "--as", "wang.wei", "--file", revised)
    assert done.exit_code == 0, done.output
    assert "汛期日报" in done.stdout
    assert done.stdout.rstrip().endswith("photos, pumps")

    fewer = flood.write("fewer.yaml", FLOOD.replace("  - key: sandbags\n", "  - key: sand_bags\n"))
    refused = flood(
        "reports", "revise-template", "flood-daily", "--as", "wang.wei", "--file", fewer
    )
    assert refused.exit_code == 2
    assert "(fields.sandbags)" in refused.stderr
    assert "cannot be removed or renamed" in refused.stderr
    listed = flood("reports", "templates", "--as", "wang.wei")
    assert "sandbags" in listed.stdout
    assert "pumps" in listed.stdout
