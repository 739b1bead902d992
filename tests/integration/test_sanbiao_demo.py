"""The 三标 demo seed on the six central districts: the source document's milestones with
honest status, and the conversion report's flags; then the CLI's reports over it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from shapely.geometry import box
from typer.testing import CliRunner

from civicgrid.adapters.db.sanbiao_uow import SqlSanbiaoUnitOfWork, sanbiao_context
from civicgrid.bootstrap import Container
from civicgrid.cli import context as cli_context
from civicgrid.domain.access import local_operator
from civicgrid.domain.areas import Area, Level
from civicgrid.services.area_import import import_areas
from civicgrid.services.sanbiao import demo_data as d
from civicgrid.services.sanbiao.conversion import report_conversion
from civicgrid.services.sanbiao.demo import seed_demo
from civicgrid.services.sanbiao.milestones import list_milestones
from tests.integration.test_cli import Cli, _environment

NAMES = ("中原区", "二七区", "管城回族区", "金水区", "上街区", "惠济区")


def six_districts() -> list[Area]:
    city = Area("410100", Level.CITY, "郑州市", "Zhengzhou", geometry=box(113, 34, 114, 35))
    districts = [
        Area(code, Level.DISTRICT, name, f"district {code}", parent_code="410100",
             geometry=box(113 + i / 6, 34, 113 + (i + 1) / 6, 35))
        for i, (code, name) in enumerate(zip(d.SIX_CENTRAL, NAMES, strict=True))
    ]  # fmt: skip
    return [city, *districts]


@pytest.fixture
def seeded(container: Container) -> Container:
    import_areas(container.uow(), six_districts(), english_name=container.english_name)
    return container


def at(c: Container, when: datetime) -> tuple[SqlSanbiaoUnitOfWork, object]:
    return SqlSanbiaoUnitOfWork(c.session_factory), sanbiao_context(c.rules, "Asia/Shanghai", when)


def test_the_demo_shows_the_source_documents_milestones_with_honest_status(
    seeded: Container,
) -> None:
    june = datetime(2023, 6, 1, tzinfo=UTC)
    uow = SqlSanbiaoUnitOfWork(seeded.session_factory)
    context = sanbiao_context(seeded.rules, "Asia/Shanghai", june)
    report = seed_demo(uow, context)
    assert (report.seeded, report.peers, report.chains, report.projects) == (True, 4, 9, 10)
    assert not seed_demo(uow, context).seeded  # a second load changes nothing
    found = {m.milestone.title_zh: m for m in list_milestones(uow, local_operator(), "410100",
                                                              context)}  # fmt: skip
    retail = found["社会消费品零售总额突破1100亿元"]
    # The synthetic 2018-2022 trend (~+25 a year from 1,002) does not reach 1,100 by the end
    # of 2023: the forecast, not an opinion, calls it at risk.
    assert retail.assessment.status.value == "at_risk"
    assert retail.assessment.forecast is not None
    assert retail.assessment.forecast.probability < 0.5
    assert found["新签约项目10个"].assessment.status.value == "achieved"
    assert found["新签约总额27.02亿元"].assessment.status.value == "achieved"
    assert found["四个突破"].assessment.status.value == "not_started"
    later = sanbiao_context(seeded.rules, "Asia/Shanghai", datetime(2024, 3, 1, tzinfo=UTC))
    after = {m.milestone.title_zh: m for m in list_milestones(uow, local_operator(), "410100",
                                                              later)}  # fmt: skip
    assert after["社会消费品零售总额突破1100亿元"].assessment.status.value == "missed"
    assert (
        "latest value, for 2022-12-31, is 1002"
        in after["社会消费品零售总额突破1100亿元"].assessment.reason
    )
    assert after["新签约项目10个"].assessment.status.value == "achieved"
    reports = report_conversion(uow, local_operator(), "410100", context)
    assert len(reports) == len(d.LESSONS)
    assert sum(r.without_action for r in reports) == len(d.LESSONS) - 3
    flagged = [a.action.title for r in reports for a in r.actions if not a.measurable]
    assert flagged == ["9条重点产业链链长制"]


def test_the_cli_reports_milestones_conversion_projects_and_imports(
    seeded: Container, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    june = datetime(2023, 6, 1, tzinfo=UTC)
    seed_demo(SqlSanbiaoUnitOfWork(seeded.session_factory),
              sanbiao_context(seeded.rules, "Asia/Shanghai", june))  # fmt: skip
    real = cli_context.bootstrap

    def pinned(settings: object = None) -> Container:
        built = real(settings)  # type: ignore[arg-type]
        built.clock = lambda: june
        return built

    monkeypatch.setattr(cli_context, "bootstrap", pinned)
    env = {**_environment(database_url, tmp_path / "var"), "COLUMNS": "250"}
    cli = Cli(CliRunner(env=env), tmp_path)
    stones = cli("sanbiao", "milestones", "410100")
    assert stones.exit_code == 0, stones.output
    line = next(x for x in stones.stdout.splitlines() if "新签约项目10个" in x)
    assert "achieved" in line
    ranking = cli("sanbiao", "ranking", "economy.retail_sales", "2022",
                  "--output", str(tmp_path / "ranking.xlsx"))  # fmt: skip
    assert ranking.exit_code == 0, ranking.output
    assert "金水区" in ranking.stdout.splitlines()[4]  # first row below the header
    assert (tmp_path / "ranking.xlsx").stat().st_size > 0
    report = cli("sanbiao", "conversion", "410106", "--output", str(tmp_path / "c.csv"))
    assert "no measurable result" in report.stdout
    assert "no action yet" in report.stdout
    projects = cli("sanbiao", "projects", "410103")
    assert "27.02 亿元 in all" in projects.stdout
    bad = cli.write("values.csv", "indicator,area,period,value,source\n"
                    "economy.retail_sales,410102,2023,400,bulletin\n"
                    "economy.retail_sales,410102,2023-05,1,bulletin\n")  # fmt: skip
    refused = cli("sanbiao", "import", bad)
    assert refused.exit_code == 1
    assert "line 3 (period)" in refused.stdout
    partial = cli("sanbiao", "import", bad, "--per-row")
    assert "1 value(s) stored, 1 row(s) left out" in partial.stdout
