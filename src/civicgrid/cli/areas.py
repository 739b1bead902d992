"""civicgrid areas: import, export, show, locate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from civicgrid.adapters.files import area_geojson, read_areas_file
from civicgrid.cli.context import console, container, progress_bar, reports_errors
from civicgrid.domain.access import local_operator
from civicgrid.domain.areas import Level
from civicgrid.services import areas as area_cases
from civicgrid.services.area_import import import_areas
from civicgrid.services.locating import locate_point

app = typer.Typer(help="The area hierarchy.", no_args_is_help=True)


@app.command("import")
@reports_errors
def import_(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Upsert areas from GeoJSON or CSV; a bad file is rejected whole."""
    areas = read_areas_file(file)
    with container() as c, progress_bar() as progress:
        report = import_areas(c.uow(), areas, english_name=c.english_name, progress=progress)
    counts = report.counts
    console.print(
        f"{escape(file.name)}: {counts.created} created, {counts.updated} updated, "
        f"{counts.unchanged} unchanged"
    )


@app.command("export")
@reports_errors
def export(
    code: Annotated[str, typer.Argument(help="Root of the subtree")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File; default stdout")] = Path(
        "-"
    ),
    level: Annotated[str | None, typer.Option(help="Only this level")] = None,
) -> None:
    """Write a subtree as GeoJSON."""
    chosen = _level(level)
    with container() as c:
        areas = []
        page = 1
        while True:
            found = area_cases.list_subtree(
                c.uow(),
                local_operator(),
                code,
                level=chosen,
                page=page,
                page_size=area_cases.MAX_PAGE_SIZE,
                with_geometry=True,
            )
            areas.extend(found.items)
            if page * area_cases.MAX_PAGE_SIZE >= found.count:
                break
            page += 1
        data = area_geojson.dump_geojson(area_geojson.write_areas_geojson(areas))
        if str(output) == "-":
            typer.echo(data.decode())
        else:
            output.write_bytes(data)
            console.print(f"wrote {len(areas)} areas to {escape(str(output))}", soft_wrap=True)


@app.command("show")
@reports_errors
def show(code: Annotated[str, typer.Argument()]) -> None:
    """One area, its ancestors and how many areas lie below it per level."""
    with container() as c:
        uow = c.uow()
        operator = local_operator()
        area = area_cases.get_area(uow, operator, code, with_geometry=False)
        with uow:
            chain = [*area_cases.get_ancestors(uow, area), area]
        console.print(" → ".join(escape(f"{a.name_zh} ({a.code})") for a in chain), soft_wrap=True)
        table = Table("field", "value")
        table.add_row("level", f"{area.level.name_zh} / {area.level.slug}")
        table.add_row("name", escape(f"{area.name_zh} / {area.name_en}"))
        table.add_row("households", "—" if area.households is None else str(area.households))
        source = ("synthetic: " if area.synthetic else "") + (area.source or "—")
        table.add_row("geometry", escape(source))
        table.add_row("aliases", escape(", ".join(area.aliases)) or "—")
        for level in Level:
            if level > area.level:
                found = area_cases.list_subtree(c.uow(), operator, code, level=level, page_size=1)
                table.add_row(f"{level.name_zh} below", str(found.count))
        console.print(table)


@app.command("locate")
@reports_errors
def locate(
    lat: Annotated[float, typer.Argument()],
    lon: Annotated[float, typer.Argument()],
    snap_m: Annotated[float | None, typer.Option(help="Snap tolerance in metres")] = None,
) -> None:
    """The micro-grid and ancestors of a WGS84 point."""
    with container() as c:
        tolerance = c.settings.snap_tolerance_m if snap_m is None else snap_m
        found = locate_point(
            c.uow(), c.locators, local_operator(), lat=lat, lon=lon, snap_tolerance_m=tolerance
        )
        if not found.chain:
            console.print(f"({lat}, {lon}) lies outside the jurisdiction (beyond {tolerance} m)")
            raise typer.Exit(1)
        if found.location.snapped:
            console.print(f"snapped {found.location.distance_m:.1f} m to the nearest micro-grid")
        for area in found.chain:
            line = f"{area.level.name_zh:<4} {area.code:<18} {area.name_zh}  {area.name_en}"
            console.print(line, markup=False, soft_wrap=True)


def _level(slug: str | None) -> Level | None:
    if not slug:
        return None
    try:
        return Level.from_slug(slug)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--level'") from None
