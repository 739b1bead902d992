"""civicgrid sanbiao milestones / conversion / projects / import / export: 见标志 and 看转化."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from civicgrid.adapters.files.sanbiao_reports import conversion_table
from civicgrid.adapters.files.sanbiao_tables import Cell, table_csv, table_xlsx
from civicgrid.adapters.files.sanbiao_values_file import read_values_file
from civicgrid.cli.context import console, fail, reports_errors
from civicgrid.cli.sanbiao_wiring import num, wired
from civicgrid.domain.access import local_operator
from civicgrid.domain.sanbiao.chains import summarise
from civicgrid.services.sanbiao import chains, conversion, milestones
from civicgrid.services.sanbiao.importing import import_values

STATUS_STYLE = {
    "achieved": "green",
    "on_track": "cyan",
    "at_risk": "yellow",
    "missed": "red",
    "not_started": "dim",
}


def register(app: typer.Typer) -> None:
    app.command("milestones")(reports_errors(show_milestones))
    app.command("conversion")(reports_errors(show_conversion))
    app.command("projects")(reports_errors(show_projects))
    app.command("import")(reports_errors(import_file))


def show_milestones(area: str) -> None:
    """The milestones of an area's subtree, with status and forecast as of today."""
    with wired() as (uow, context):
        found = milestones.list_milestones(uow, local_operator(), area, context)
    table = Table(
        "id",
        "area",
        "milestone",
        "deadline",
        "status",
        "latest",
        "forecast",
        "why",
        title=f"Milestones under {area} (as of {context.today})",
    )
    for a in found:
        m, s, f = a.milestone, a.assessment, a.assessment.forecast
        style = STATUS_STYLE[s.status.value]
        forecast = (
            (
                f"{f.expected_at_deadline:,.0f} ± {f.spread_at_deadline:,.0f}, "
                f"P={f.probability:.0%}, crosses {f.crossing or 'never'}"
            )
            if f
            else "—"
        )
        table.add_row(
            str(m.id),
            m.area_code,
            escape(m.title_zh),
            str(m.deadline),
            f"[{style}]{s.status.value}[/]",
            num(s.latest.value if s.latest else None),
            forecast,
            escape(s.reason),
        )
    console.print(table)


def show_conversion(
    area: str,
    output: Annotated[Path | None, typer.Option(help="Also write it as .csv or .xlsx")] = None,
) -> None:
    """考察归来看转化: each lesson, its actions, their milestones, and what moved."""
    with wired() as (uow, context):
        reports = conversion.report_conversion(uow, local_operator(), area, context)
    table = Table(
        "lesson",
        "action",
        "milestones",
        "result",
        "indicators",
        title=f"Conversion report under {area}",
    )
    for r in reports:
        moves = "\n".join(f"{m.indicator}: {num(m.before)} → {num(m.latest)}" for m in r.movements)
        if not r.actions:
            table.add_row(escape(r.lesson.title_zh), "[red]no action yet[/]", "", "", moves)
        for a in r.actions:
            states = ", ".join(
                f"{escape(m.milestone.title_zh)} [{m.assessment.status.value}]"
                for m in a.milestones
            )
            result = "measurable" if a.measurable else "[red]no measurable result[/]"
            table.add_row(
                escape(r.lesson.title_zh),
                f"{a.action.kind.value}: {escape(a.action.title)}",
                states or "—",
                result,
                moves,
            )
    console.print(table)
    if output is not None:
        write_table(output, *conversion_table(reports))


def show_projects(area: str) -> None:
    """Industry chains (链长制) and investment projects (双招双引), with totals by stage."""
    with wired() as (uow, _):
        found_chains = chains.list_chains(uow, local_operator(), area)
        found = chains.list_projects(uow, local_operator(), area)
    names = {c.id: f"{c.name_zh} (链长 {c.leader})" for c in found_chains}
    table = Table("chain", "stage", "projects", "amount (亿元)", title=f"Projects under {area}")
    for t in summarise(found):
        table.add_row(
            escape(names.get(t.chain_id or 0, "—")), t.stage.value, str(t.count), f"{t.amount:,.2f}"
        )
    console.print(table)
    console.print(
        f"{len(found_chains)} chain(s), {len(found)} project(s), "
        f"{sum(p.amount for p in found):,.2f} 亿元 in all"
    )


def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    per_row: Annotated[
        bool, typer.Option(help="Store the good rows even if others are bad")
    ] = False,
) -> None:
    """Import reported values from CSV or XLSX; one bad row keeps the file out unless --per-row."""
    read = read_values_file(file.read_bytes(), file.name)
    with wired() as (uow, context):
        report = import_values(uow, local_operator(), read, per_row=per_row, now=context.now)
    for e in report.errors:
        console.print(
            f"line {e.line}" + (f" ({e.field})" if e.field else "") + f": {escape(e.message)}",
            soft_wrap=True,
        )
    if report.errors and not per_row:
        raise fail(f"{len(report.errors)} row(s) have problems; nothing was stored", code=1)
    console.print(f"{report.stored} value(s) stored, {len(report.errors)} row(s) left out")


def write_table(output: Path, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    """A report as .csv or .xlsx, chosen by the file's suffix."""
    suffix = output.suffix.lower()
    if suffix == ".csv":
        output.write_bytes(table_csv(header, rows))
    elif suffix == ".xlsx":
        output.write_bytes(table_xlsx(header, rows, output.stem))
    else:
        raise fail(f"write .csv or .xlsx, not {suffix or 'no suffix'}", code=2)
    console.print(f"written to {escape(str(output))}")
