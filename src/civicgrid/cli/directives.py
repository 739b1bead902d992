"""civicgrid directives: 指令直达 from the command line, as a named user (`--as`).

Each command mirrors an endpoint of /api/v1/directives; `tick` and `verify-log` run
as the local operator.
"""

from __future__ import annotations

import mimetypes
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from civicgrid.bootstrap import Container
from civicgrid.cli.case_actions import As
from civicgrid.cli.context import console, container, reports_errors
from civicgrid.cli.directive_options import moment, read_fields, read_values
from civicgrid.domain.access import Principal
from civicgrid.domain.areas import Level
from civicgrid.domain.directives import Content, Directive, Priority, Selection
from civicgrid.domain.directives.rollup import RollupRow
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.forms import parse_form
from civicgrid.services.area_tags import set_area_tags
from civicgrid.services.attachments import upload_attachment
from civicgrid.services.cases.actors import get_user_principal
from civicgrid.services.directives import queries
from civicgrid.services.directives.issuing import issue_directive, preview_targets
from civicgrid.services.directives.queries import Show
from civicgrid.services.directives.responding import (
    MAX_BATCH,
    complete_receipt,
    report_receipt_progress,
    send_back_receipt,
    sign_receipt,
    sign_receipts,
)
from civicgrid.services.directives.revising import revise_directive, revoke_directive
from civicgrid.services.directives.ticking import tick_directives

app = typer.Typer(
    help="Directives (指令直达): issue, sign, report back, roll up.", no_args_is_help=True
)

DirectiveId = Annotated[int, typer.Argument(min=1, max=2**31 - 1, help="The directive's id")]
UnitCode = Annotated[str, typer.Argument(help="The unit's area code")]
FromArea = Annotated[str | None, typer.Option("--from", help="Issuing area (default: yours)")]
Within = Annotated[str | None, typer.Option(help="Select inside this area (default: issuer's)")]
AtLevel = Annotated[str | None, typer.Option("--level", help="Every unit at this level")]
Tags = Annotated[list[str] | None, typer.Option("--tag", help="Units carrying this tag")]
Codes = Annotated[list[str] | None, typer.Option("--code", help="This unit (repeatable)")]


def _selection(
    within: str | None, level: str | None, tags: list[str] | None, codes: list[str] | None
) -> Selection:
    return Selection(
        within=within,
        level=Level.from_slug(level) if level else None,
        tags=tuple(tags or ()),
        codes=tuple(codes or ()),
    )


def _by_level(by_level: dict[Level, int]) -> str:
    return ", ".join(f"{n} {level.name_zh} ({level.slug})" for level, n in sorted(by_level.items()))


@app.command("preview")
@reports_errors
def preview(
    as_: As,
    from_area: FromArea = None,
    within: Within = None,
    level: AtLevel = None,
    tag: Tags = None,
    code: Codes = None,
) -> None:
    """How many units a selection reaches, by level; nothing is written."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        found = preview_targets(
            c.uow(), principal, _selection(within, level, tag, code), from_area=from_area
        )
    console.print(f"{found.total} unit(s) below {found.issuer.code}: {_by_level(found.by_level)}")


@app.command("issue")
@reports_errors
def issue(
    as_: As,
    title: Annotated[str, typer.Option(help="Title (zh-CN)")],
    body: Annotated[str, typer.Option(help="What to do (zh-CN)")] = "",
    title_en: Annotated[str, typer.Option(help="Title (en)")] = "",
    body_en: Annotated[str, typer.Option(help="What to do (en)")] = "",
    priority: Annotated[Priority, typer.Option(case_sensitive=False)] = Priority.NORMAL,
    sign_by: Annotated[str | None, typer.Option(help="签收 deadline: HH:MM today or ISO")] = None,
    due: Annotated[str | None, typer.Option(help="Completion deadline: HH:MM or ISO")] = None,
    form: Annotated[Path | None, typer.Option(help="Feedback form fields (JSON/YAML)")] = None,
    field: Annotated[
        list[str] | None, typer.Option("--field", help="key:type:label[:optional]")
    ] = None,
    from_area: FromArea = None,
    within: Within = None,
    level: AtLevel = None,
    tag: Tags = None,
    code: Codes = None,
) -> None:
    """Issue a directive; every target unit gets a receipt and an inbox message at once."""
    with container() as c:
        now = c.clock()
        zone = c.settings.zone
        content = Content(
            title_zh=title,
            body_zh=body,
            title_en=title_en,
            body_en=body_en,
            priority=priority,
            sign_deadline_at=moment(sign_by, zone, now) if sign_by else None,
            complete_deadline_at=moment(due, zone, now) if due else None,
            form=parse_form(read_fields(form, field or [])),
        )
        principal = get_user_principal(c.uow(), as_)
        issued = issue_directive(
            c.uow(),
            principal,
            content,
            _selection(within, level, tag, code),
            now=now,
            from_area=from_area,
            feed=c.feed,
        )
    d = issued.directive
    console.print(
        f"directive {d.id} issued from {d.issuer_code} to {d.target_count} unit(s): "
        f"{_by_level(issued.by_level)}",
        soft_wrap=True,
    )


@app.command("list")
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


@app.command("show")
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


@app.command("rollup")
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


@app.command("receipts")
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


def _below(
    c: Container, principal: Principal, directive_id: int, code: str, show: Show
) -> list[str]:
    """Codes of the receipts below `code` matching `show`, every page."""
    codes: list[str] = []
    while True:
        found, _ = queries.list_receipts(
            c.uow(),
            principal,
            directive_id,
            within=code,
            show=show,
            now=c.clock(),
            page=len(codes) // 500 + 1,
            page_size=500,
        )
        codes.extend(r.area_code for r in found.items)
        if len(found.items) < 500:
            return codes


@app.command("sign")
@reports_errors
def sign(
    directive_id: DirectiveId,
    as_: As,
    unit: Annotated[str | None, typer.Argument(help="The unit's area code")] = None,
    below: Annotated[
        list[str] | None, typer.Option(help="Instead: every unsigned unit below these areas")
    ] = None,
) -> None:
    """签收 for a unit, or for every unit below an area that has not signed."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        if below is None:
            if unit is None:
                raise InvalidInput("name a unit or --below an area", field="unit")
            r = sign_receipt(c.uow(), principal, directive_id, unit, now=c.clock(), feed=c.feed)
            console.print(f"directive {directive_id}: {unit} signed version {r.signed_version}")
            return
        codes = [
            code
            for area in below
            for code in _below(c, principal, directive_id, area, Show.UNSIGNED)
        ]
        for start in range(0, len(codes), MAX_BATCH):
            sign_receipts(
                c.uow(),
                principal,
                directive_id,
                codes[start : start + MAX_BATCH],
                now=c.clock(),
                feed=c.feed,
            )
    console.print(
        f"directive {directive_id}: {len(codes)} unit(s) below {', '.join(below)} signed",
        soft_wrap=True,
    )


@app.command("progress")
@reports_errors
def progress(
    directive_id: DirectiveId,
    unit: UnitCode,
    as_: As,
    percent: Annotated[int, typer.Option(min=0, max=100)],
    note: Annotated[str, typer.Option()] = "",
) -> None:
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        report_receipt_progress(
            c.uow(), principal, directive_id, unit, percent, note, now=c.clock(), feed=c.feed
        )
    console.print(f"directive {directive_id}: {unit} at {percent}%")


@app.command("feedback")
@reports_errors
def feedback(
    directive_id: DirectiveId,
    as_: As,
    unit: Annotated[str | None, typer.Argument(help="The unit's area code")] = None,
    below: Annotated[
        list[str] | None,
        typer.Option(help="Instead: every signed, unfinished unit below these areas"),
    ] = None,
    value: Annotated[list[str] | None, typer.Option("--value", help="key=value")] = None,
    photo: Annotated[
        list[str] | None, typer.Option("--photo", help="key=path of an image to upload")
    ] = None,
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Complete: answer the feedback form; --photo uploads a file for a photo field."""
    values = read_values(value or [])
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        for pair in photo or []:
            key, _, path = pair.partition("=")
            values.setdefault(key, []).append(_upload(c, principal, Path(path)))
        if below is None:
            if unit is None:
                raise InvalidInput("name a unit or --below an area", field="unit")
            units = [unit]
        else:
            units = []
            for area in below:
                unsigned = set(_below(c, principal, directive_id, area, Show.UNSIGNED))
                units += [
                    code
                    for code in _below(c, principal, directive_id, area, Show.NOT_DONE)
                    if code not in unsigned
                ]
        for code in units:
            complete_receipt(
                c.uow(), principal, directive_id, code, values, note, now=c.clock(), feed=c.feed
            )
    console.print(f"directive {directive_id}: {len(units)} unit(s) done")


def _upload(c: Container, principal: Principal, path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    uploaded = upload_attachment(
        c.uow(),
        c.attachment_store,
        principal,
        path.name,
        kind,
        path.read_bytes(),
        now=c.clock(),
        max_bytes=c.settings.attachment_max_bytes,
    )
    return uploaded.id


@app.command("rework")
@reports_errors
def rework(
    directive_id: DirectiveId, unit: UnitCode, as_: As, reason: Annotated[str, typer.Option()]
) -> None:
    """返工: send a unit's completion back (the issuer)."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        send_back_receipt(
            c.uow(), principal, directive_id, unit, reason, now=c.clock(), feed=c.feed
        )
    console.print(f"directive {directive_id}: {unit} sent back for rework")


@app.command("revise")
@reports_errors
def revise(
    directive_id: DirectiveId,
    as_: As,
    title: Annotated[str | None, typer.Option()] = None,
    body: Annotated[str | None, typer.Option()] = None,
    priority: Annotated[Priority | None, typer.Option(case_sensitive=False)] = None,
    sign_by: Annotated[str | None, typer.Option()] = None,
    due: Annotated[str | None, typer.Option()] = None,
) -> None:
    """A new version; a changed title or body, or a shorter deadline, needs new signatures."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        old = queries.get_directive(c.uow(), principal, directive_id).content
        now, zone = c.clock(), c.settings.zone
        changed: dict[str, Any] = {}
        if title is not None:
            changed["title_zh"] = title
        if body is not None:
            changed["body_zh"] = body
        if priority is not None:
            changed["priority"] = priority
        if sign_by is not None:
            changed["sign_deadline_at"] = moment(sign_by, zone, now)
        if due is not None:
            changed["complete_deadline_at"] = moment(due, zone, now)
        d, v = revise_directive(
            c.uow(), principal, directive_id, replace(old, **changed), now=now, feed=c.feed
        )
    need = "every unit signs again" if v.material else "no new signature needed"
    console.print(f"directive {d.id} is at version {d.version} ({need})")


@app.command("revoke")
@reports_errors
def revoke(directive_id: DirectiveId, as_: As, reason: Annotated[str, typer.Option()]) -> None:
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        revoke_directive(c.uow(), principal, directive_id, reason, now=c.clock(), feed=c.feed)
    console.print(f"directive {directive_id} revoked")


@app.command("versions")
@reports_errors
def versions(directive_id: DirectiveId, as_: As) -> None:
    with container() as c:
        found = queries.list_versions(c.uow(), get_user_principal(c.uow(), as_), directive_id)
    for v in found:
        kind = "material" if v.material else "minor"
        what = ", ".join(v.changes) or "issued"
        console.print(f"v{v.version} {v.at.isoformat()} by {v.actor} ({kind}): {what}")


@app.command("tick")
@reports_errors
def tick() -> None:
    """Send the reminders (80 % of each deadline) and escalations now due; safe to repeat."""
    with container() as c:
        report = tick_directives(c.uow(), now=c.clock())
    console.print(f"reminded {report.reminded} receipt(s), escalated {report.escalated}")


@app.command("verify-log")
@reports_errors
def verify_log(directive_id: DirectiveId) -> None:
    """Check the hash chains of a directive and its receipts; exit 1 if one is broken."""
    with container() as c:
        checked, problems = queries.verify_directive_log(c.uow(), directive_id)
    if not problems:
        console.print(f"checked {checked} entr(ies): the log is intact")
        return
    for problem in problems:
        console.print(escape(problem), soft_wrap=True)
    raise typer.Exit(1)


@app.command("tag")
@reports_errors
def tag(
    code: UnitCode,
    as_: As,
    add: Annotated[list[str] | None, typer.Option("--add")] = None,
    remove: Annotated[list[str] | None, typer.Option("--remove")] = None,
) -> None:
    """Add or remove area tags ("flood-risk", "has-underpass") that directives select by."""
    with container() as c:
        tags = set_area_tags(
            c.uow(), get_user_principal(c.uow(), as_), code, add=add or [], remove=remove or []
        )
    console.print(f"{code}: {', '.join(tags) or '(no tags)'}")
