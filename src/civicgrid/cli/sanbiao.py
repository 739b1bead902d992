"""civicgrid sanbiao: 三标 from the command line (as the local operator, who sees all)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from civicgrid.adapters.files.sanbiao_reports import gap_table, ranking_table
from civicgrid.cli import sanbiao_progress
from civicgrid.cli.context import console, reports_errors
from civicgrid.cli.sanbiao_progress import write_table
from civicgrid.cli.sanbiao_wiring import num, wired
from civicgrid.domain.access import local_operator
from civicgrid.domain.sanbiao.gaps import Gap
from civicgrid.domain.sanbiao.standards import Rule
from civicgrid.services.sanbiao.catalogue import list_indicators
from civicgrid.services.sanbiao.gaps import analyse_gaps, rank_areas
from civicgrid.services.sanbiao.standards import StandardRequest, set_standard
from civicgrid.services.sanbiao.values import ValueEntry, enter_value, value_history

app = typer.Typer(
    help="三标: benchmarks, standards, milestones and conversion.", no_args_is_help=True
)
SIX_CENTRAL = "410102,410103,410104,410105,410106,410108"  # 中原 二七 管城 金水 上街 惠济
sanbiao_progress.register(app)


@app.command("catalogue")
@reports_errors
def catalogue() -> None:
    """List the indicator catalogue."""
    with wired() as (uow, _):
        found = list_indicators(uow)
    table = Table(
        "code",
        "名称",
        "name",
        "unit",
        "better",
        "aggregation",
        "period",
        "kind",
        "theme",
        title="Indicator catalogue",
    )
    for i in found:
        table.add_row(
            i.code,
            i.name_zh,
            i.name_en,
            i.unit,
            i.direction.value,
            i.aggregation.value + (f" by {i.weight}" if i.weight else ""),
            i.periodicity.value,
            f"{i.kind.value} {i.source}".strip(),
            i.theme.value if i.theme else "",
        )
    console.print(table)


@app.command("value")
@reports_errors
def value(
    indicator: str,
    area: str,
    period: str,
    amount: float,
    source: Annotated[str, typer.Option(help="Where the value comes from")],
    reason: Annotated[str, typer.Option(help="Why it corrects the last version")] = "",
) -> None:
    """Enter a reported value (again for the same period: a correction with --reason)."""
    with wired() as (uow, context):
        stored = enter_value(
            uow,
            local_operator(),
            ValueEntry(indicator, area, period, amount, source, reason),
            now=context.now,
        )
    console.print(
        f"{stored.indicator} {stored.area_code} {stored.period}: version "
        f"{stored.version} = {stored.value:g}"
    )


@app.command("history")
@reports_errors
def history(indicator: str, area: str, period: str) -> None:
    """Every version of one value."""
    with wired() as (uow, _):
        versions = value_history(uow, local_operator(), indicator, area, period)
    table = Table("version", "value", "source", "by", "at", "reason", title=f"{indicator} {area}")
    for v in versions:
        table.add_row(
            str(v.version),
            f"{v.value:g}",
            escape(v.source),
            v.entered_by,
            f"{v.entered_at:%Y-%m-%d %H:%M}",
            escape(v.reason),
        )
    console.print(table)


@app.command("standard")
@reports_errors
def standard(
    area: str,
    indicator: str,
    period: str,
    rule: Annotated[Rule, typer.Option(help="How the target is derived")] = Rule.MANUAL,
    target: float | None = None,
    peer: int | None = None,
    group: int | None = None,
    year: int | None = None,
    factor: float | None = None,
    top_percent: float | None = None,
    rate_percent: float | None = None,
    baseline: str | None = None,
) -> None:
    """Set a standard by hand (--target) or by a rule from benchmarks."""
    request = StandardRequest(
        area,
        indicator,
        period,
        rule,
        target,
        peer,
        group,
        year,
        factor,
        top_percent,
        rate_percent,
        baseline,
    )
    with wired() as (uow, context):
        saved = set_standard(uow, local_operator(), request, context)
    console.print(
        f"standard {saved.id}: {saved.area_code} {saved.indicator} {saved.period} "
        f"target {saved.target:,.4g} {escape(saved.derivation)}"
    )


@app.command("gaps")
@reports_errors
def gaps(
    area: str,
    period: Annotated[
        str | None, typer.Option(help="e.g. 2023; each one's latest if absent")
    ] = None,
    indicator: Annotated[list[str] | None, typer.Option(help="Only these")] = None,
    output: Annotated[Path | None, typer.Option(help="Also write it as .csv or .xlsx")] = None,
) -> None:
    """Gap analysis of one area: value, standard, best benchmark, gaps, trend, rank."""
    with wired() as (uow, context):
        found, rows = analyse_gaps(
            uow, local_operator(), area, context, period=period, indicators=indicator or []
        )
    table = Table(
        "indicator",
        "period",
        "value",
        "standard",
        "gap",
        "benchmark",
        "gap",
        "trend",
        "rank",
        title=f"{found.name_zh} {found.code}: gap analysis",
    )
    for r in rows:
        table.add_row(
            f"{r.indicator.name_zh} ({r.indicator.unit})",
            r.period or "",
            num(r.value),
            num(r.standard.target) if r.standard else "—",
            _gap(r.to_standard),
            f"{num(r.benchmark.value)} {r.benchmark_name} {r.benchmark.year}"
            if r.benchmark
            else "—",
            _gap(r.to_benchmark),
            r.trend,
            f"{r.rank.rank}/{r.rank.of}" if r.rank else "—",
        )
    console.print(table)
    if output is not None:
        write_table(output, *gap_table(rows))


@app.command("ranking")
@reports_errors
def ranking(
    indicator: str,
    period: str,
    areas: Annotated[str, typer.Option(help="Comma-separated codes")] = SIX_CENTRAL,
    output: Annotated[Path | None, typer.Option(help="Also write it as .csv or .xlsx")] = None,
) -> None:
    """Rank areas (by default the six central districts), with changes since last period."""
    with wired() as (uow, context):
        rows = rank_areas(uow, local_operator(), areas.split(","), indicator, period, context)
    table = Table("rank", "area", "value", "previous", "change", title=f"{indicator} {period}")
    for r in rows:
        change = r.change
        arrow = "—" if change is None else "=" if change == 0 else f"{change:+d}"
        table.add_row(
            str(r.rank.rank) if r.rank else "—",
            f"{r.area.name_zh} {r.area.code}",
            num(r.value),
            str(r.previous_rank.rank) if r.previous_rank else "—",
            arrow,
        )
    console.print(table)
    if output is not None:
        write_table(output, *ranking_table(rows))


def _gap(gap: Gap | None) -> str:
    if gap is None:
        return "—"
    relative = f" ({gap.relative:+.1%})" if gap.relative is not None else ""
    return f"{gap.absolute:+,.2f}{relative}"
