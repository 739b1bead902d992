"""civicgrid channels: cases coming in through other platforms (12345 hotline exports)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.table import Table

from civicgrid.adapters.files.hotline_mapping import read_hotline_mapping
from civicgrid.adapters.files.hotline_rows import check_columns, read_hotline_export
from civicgrid.cli.context import console, container, reports_errors
from civicgrid.services.hotline import HotlineImport, RowStatus, import_hotline_orders

app = typer.Typer(help="Channels: bring cases in from other platforms.", no_args_is_help=True)

STATUS_STYLE = {
    RowStatus.CREATED: "green",
    RowStatus.ALREADY_IMPORTED: "dim",
    RowStatus.REJECTED: "bold red",
}


@app.command("import-hotline")
@reports_errors
def import_hotline(
    file: Annotated[Path, typer.Argument(help="The 12345 export, .csv or .xlsx")],
    mapping: Annotated[Path, typer.Option(help="The column mapping, YAML")],
    within: Annotated[
        str | None, typer.Option(help="Only file orders inside this area (code)")
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON instead of tables")
    ] = False,
) -> None:
    """File each 12345 work order as a hotline case; orders imported before are skipped.

    Bad rows are listed with their row number and reason; the good rows still go in.
    Exit status 0 when every row went in or was there already, 3 when some were rejected.
    """
    read = read_hotline_mapping(mapping.read_bytes(), source_name=mapping.name)
    table = read_hotline_export(file, sheet=read.sheet)
    check_columns(table, read.mapping.columns(), file.name)
    with container() as c:
        result = import_hotline_orders(
            c.uow(),
            c.locators,
            c.rules,
            table.rows,
            read.mapping,
            zone=ZoneInfo(c.settings.zone),
            now=c.clock(),
            snap_tolerance_m=c.settings.snap_tolerance_m,
            within=within,
            source_file=file.name,
            feed=c.feed,
        )
    if json_output:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_summary(result)
    if result.count(RowStatus.REJECTED):
        raise typer.Exit(3)


def _print_summary(result: HotlineImport) -> None:
    summary = Table("rows", "created", "already imported", "rejected", "filed above micro-grid")
    summary.title = f"12345 import of {escape(result.source_file)}"
    summary.add_row(
        str(len(result.outcomes)),
        str(result.count(RowStatus.CREATED)),
        str(result.count(RowStatus.ALREADY_IMPORTED)),
        str(result.count(RowStatus.REJECTED)),
        str(result.filed_above_micro_grid),
    )
    console.print(summary)
    rows = Table("row", "order", "outcome", "case", "area", "level", title="orders")
    problems = Table("row", "order", "reason", title="rejected rows")
    for o in result.outcomes:
        style = STATUS_STYLE[o.status]
        rows.add_row(
            str(o.row),
            escape(o.order_id),
            f"[{style}]{o.status.value}[/]",
            str(o.case_id or ""),
            o.area_code or "",
            o.located_level.slug if o.located_level else "",
        )
        if o.status is RowStatus.REJECTED:
            problems.add_row(str(o.row), escape(o.order_id), escape(o.reason))
    for table in (rows, problems):
        for column in table.columns[:2]:
            column.no_wrap = True
    console.print(rows)
    if problems.row_count:
        console.print(problems)
