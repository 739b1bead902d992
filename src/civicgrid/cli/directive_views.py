"""Reading directives from the command line: the list, one, its roll-up, receipts, versions."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from civicgrid.cli.case_actions import As
from civicgrid.cli.context import console, container, reports_errors
from civicgrid.cli.directive_options import (
    DirectiveId,
)
from civicgrid.domain.directives import Directive
from civicgrid.domain.directives.rollup import RollupRow
from civicgrid.services.cases.actors import get_user_principal
from civicgrid.services.directives import queries
from civicgrid.services.directives.queries import Show


@reports_errors
def list_(as_: As, page: Annotated[int, typer.Option(min=1)] = 1) -> None:
    """Directives issued in, or reaching into, your jurisdiction."""
    with container() as c:
        found = queries.list_directives(c.uow(), get_user_principal(c.uow(), as_), page=page)
    table = Table("id", "from", "title", "targets", "version", "status", "due")
    for d in found.items:
        due = d.content.complete_deadline_at
        table.add_row(
            str(d.id),
            d.issuer_code,
            escape(d.content.title_zh),
            str(d.target_count),
            str(d.version),
            d.status.value,
            due.isoformat() if due else "",
        )
    console.print(table)
    console.print(f"{found.count} directive(s)")


def _show(d: Directive) -> None:
    c = d.content
    console.print(
        f"directive {d.id} v{d.version} ({d.status.value}) from {d.issuer_code} by {d.issued_by}"
    )
    console.print(f"  {escape(c.title_zh)}  {escape(c.title_en)}", soft_wrap=True)
    if c.body_zh:
        console.print(f"  {escape(c.body_zh)}", soft_wrap=True)
    console.print(f"  targets: {d.target_count}; selection {d.selection.as_dict()}", soft_wrap=True)
    for name, at in (("sign by", c.sign_deadline_at), ("due", c.complete_deadline_at)):
        if at:
            console.print(f"  {name}: {at.isoformat()}")
    for spec in c.form:
        need = "required" if spec.required else "optional"
        console.print(f"  form: {spec.key} ({spec.type.value}, {need}) {escape(spec.label_zh)}")


@reports_errors
def show(directive_id: DirectiveId, as_: As) -> None:
    with container() as c:
        _show(queries.get_directive(c.uow(), get_user_principal(c.uow(), as_), directive_id))


def _rollup_table(node: RollupRow, rows: list[RollupRow]) -> Table:
    table = Table("area", "name", "level", "targeted", "signed", "in progress", "done", "overdue")
    for row in [node, *rows]:
        c = row.counts
        name = escape(row.name_zh)
        table.add_row(
            row.code if row is not node else f"[bold]{row.code}[/]",
            name,
            row.level_slug,
            str(c.targeted),
            str(c.signed),
            str(c.in_progress),
            str(c.done),
            f"[red]{row.overdue}[/]" if row.overdue else "0",
        )
    return table


@reports_errors
def rollup(
    directive_id: DirectiveId,
    as_: As,
    at: Annotated[str | None, typer.Option(help="Area to roll up at (default: issuer's)")] = None,
) -> None:
    """Progress at an area and per child area: targeted, signed, in progress, done, overdue."""
    with container() as c:
        found = queries.get_rollup(
            c.uow(), get_user_principal(c.uow(), as_), directive_id, at=at, now=c.clock()
        )
    n = found.node
    console.print(
        f"{n.name_zh} {n.code}: {n.counts.targeted} targeted, {n.counts.signed} signed, "
        f"{n.counts.in_progress} in progress, {n.counts.done} done, {n.overdue} overdue",
        soft_wrap=True,
    )
    console.print(_rollup_table(found.node, found.children))


@reports_errors
def receipts(
    directive_id: DirectiveId,
    as_: As,
    within: Annotated[str | None, typer.Option(help="Below this area")] = None,
    show: Annotated[Show, typer.Option(case_sensitive=False)] = Show.ALL,
    page: Annotated[int, typer.Option(min=1)] = 1,
    page_size: Annotated[int, typer.Option(min=1, max=500)] = 100,
) -> None:
    """Receipts below an area; --show unsigned or overdue lists the laggards."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        found, areas = queries.list_receipts(
            c.uow(),
            principal,
            directive_id,
            within=within,
            show=show,
            now=c.clock(),
            page=page,
            page_size=page_size,
        )
    table = Table("unit", "name", "state", "signed v", "progress", "done at")
    for r in found.items:
        area = areas.get(r.area_path)
        table.add_row(
            r.area_code,
            escape(area.name_zh) if area else "",
            r.state.slug,
            str(r.signed_version),
            "" if r.progress is None else f"{r.progress}%",
            r.done_at.isoformat() if r.done_at else "",
        )
    console.print(table)
    console.print(f"{found.count} receipt(s) ({show.value})")


@reports_errors
def versions(directive_id: DirectiveId, as_: As) -> None:
    with container() as c:
        found = queries.list_versions(c.uow(), get_user_principal(c.uow(), as_), directive_id)
    for v in found:
        kind = "material" if v.material else "minor"
        what = ", ".join(v.changes) or "issued"
        console.print(f"v{v.version} {v.at.isoformat()} by {v.actor} ({kind}): {what}")
