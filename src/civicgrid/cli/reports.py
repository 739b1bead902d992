"""civicgrid reports: 信息直报 from the command line, as a named user (`--as`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from civicgrid.adapters.report_template_files import builtin_template, load_template_file
from civicgrid.cli.case_actions import As
from civicgrid.cli.context import console, container, reports_errors
from civicgrid.cli.directive_options import read_values
from civicgrid.domain.areas.area import path_codes
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.reports.revision import TemplateRevision
from civicgrid.services.cases.actors import get_user_principal
from civicgrid.services.reports import aggregating, templates
from civicgrid.services.reports.reminding import remind_missing, tick_reports
from civicgrid.services.reports.submitting import list_versions, submit_report
from civicgrid.services.reports.urgent import get_urgent_report, send_urgent_report

app = typer.Typer(
    help="Reports (信息直报): templates, submissions, aggregates.", no_args_is_help=True
)

Template = Annotated[str, typer.Argument(help="The template's code, e.g. flood-daily")]
Period = Annotated[str | None, typer.Option(help="YYYY-MM-DD, YYYY-Www or a label")]
At = Annotated[str | None, typer.Option(help="Area to sum up at (default: the template's)")]


@app.command("add-template")
@reports_errors
def add_template(
    as_: As,
    area: Annotated[str, typer.Option(help="Units below this area submit")],
    builtin: Annotated[str | None, typer.Option(help="A packaged template: flood-daily")] = None,
    file: Annotated[Path | None, typer.Option(help="A template file (YAML or JSON)")] = None,
) -> None:
    """Install a template (fields, submitting level, schedule) for an area."""
    if builtin is not None and file is None:
        draft = builtin_template(builtin)
    elif file is not None and builtin is None:
        draft = load_template_file(file)
    else:
        raise InvalidInput("give either --builtin or --file")
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        t = templates.create_template(c.uow(), principal, draft, area, now=c.clock())
    d = t.draft
    console.print(
        f"template {d.code} (id {t.id}): {d.name_zh}, {d.submitter_level.name_zh} below "
        f"{t.area_code}, {d.schedule.value} by {d.due_time.strftime('%H:%M')}"
    )


@app.command("revise-template")
@reports_errors
def revise_template(
    template: Template,
    as_: As,
    file: Annotated[Path, typer.Option(help="The whole template, revised (YAML or JSON)")],
) -> None:
    """Revise a template in place: names, due time, labels, aggregates, new optional fields.
    A change that would alter the reports already sent is refused, naming the field."""
    draft = load_template_file(file)
    revision = TemplateRevision(
        name_zh=draft.name_zh,
        name_en=draft.name_en,
        due_time=draft.due_time,
        fields=draft.fields,
        code=draft.code,
        submitter_level=draft.submitter_level,
        schedule=draft.schedule,
    )
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        found = templates.find_template(c.uow(), principal, template)
        t = templates.revise_template(c.uow(), principal, found.id, revision, now=c.clock())
    fields = ", ".join(f.key for f in t.draft.fields)
    console.print(
        f"template {t.draft.code} (id {t.id}) revised: {escape(t.draft.name_zh)}: {fields}"
    )


@app.command("templates")
@reports_errors
def list_templates(as_: As) -> None:
    with container() as c:
        found = templates.list_templates(c.uow(), get_user_principal(c.uow(), as_))
    for t in found:
        d = t.draft
        fields = ", ".join(f.key for f in d.fields)
        console.print(f"{d.code} (id {t.id}) {escape(d.name_zh)} — {t.area_code}: {fields}")


@app.command("submit")
@reports_errors
def submit(
    template: Template,
    unit: Annotated[str, typer.Argument(help="The submitting unit's area code")],
    as_: As,
    value: Annotated[list[str] | None, typer.Option("--value", help="key=value")] = None,
    period: Period = None,
) -> None:
    """Submit (or correct: a new version) the unit's report for the period."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        t = templates.find_template(c.uow(), principal, template)
        s = submit_report(
            c.uow(),
            principal,
            t.id,
            unit,
            read_values(value or []),
            now=c.clock(),
            zone=c.settings.zone,
            period=period,
            feed=c.feed,
        )
    late = " (late)" if s.late else ""
    console.print(f"{template} {s.period}: {unit} submitted version {s.version}{late}")


@app.command("versions")
@reports_errors
def versions(
    template: Template,
    unit: Annotated[str, typer.Argument()],
    as_: As,
    period: Annotated[str, typer.Option()],
) -> None:
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        t = templates.find_template(c.uow(), principal, template)
        found = list_versions(c.uow(), principal, t.id, unit, period)
    for s in found:
        mark = "current" if s.current else "superseded"
        console.print(
            f"v{s.version} {s.submitted_at.isoformat()} by {s.submitted_by} ({mark}): {s.values}"
        )


@app.command("aggregate")
@reports_errors
def aggregate(template: Template, as_: As, period: Period = None, at: At = None) -> None:
    """Numeric fields summed up per level, with how many units have reported."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        t = templates.find_template(c.uow(), principal, template)
        found = aggregating.get_aggregate(
            c.uow(), principal, t.id, period=period, at=at, now=c.clock(), zone=c.settings.zone
        )
    unit = t.draft.submitter_level.name_zh
    numeric = [f for f in t.draft.fields if f.aggregates]
    n = found.node
    console.print(
        f"{t.draft.name_zh} {found.period}, {n.name_zh} {n.code}: "
        f"{n.reported} of {n.expected} {unit} reported ({n.late} late)",
        soft_wrap=True,
    )
    table = Table("area", "name", "reported", *[f.key for f in numeric])
    for row in [n, *found.children]:
        cells = []
        for spec in numeric:
            got = row.values.get(spec.key, {})
            cells.append(" ".join(f"{k} {v:g}" for k, v in got.items()))
        table.add_row(row.code, escape(row.name_zh), f"{row.reported}/{row.expected}", *cells)
    console.print(table)


@app.command("missing")
@reports_errors
def missing(
    template: Template,
    as_: As,
    period: Period = None,
    at: At = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="List at most this many")] = 100,
) -> None:
    """The units that have not reported for the period."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        t = templates.find_template(c.uow(), principal, template)
        label, found = aggregating.list_missing(
            c.uow(),
            principal,
            t.id,
            period=period,
            at=at,
            now=c.clock(),
            zone=c.settings.zone,
            page_size=limit,
        )
    for _, code, name in found.items:
        console.print(f"{code} {escape(name)}")
    console.print(f"{found.count} unit(s) missing for {label}")


@app.command("remind")
@reports_errors
def remind(template: Template, as_: As, period: Period = None) -> None:
    """催报: remind the missing units (once per period)."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        t = templates.find_template(c.uow(), principal, template)
        count = remind_missing(
            c.uow(), principal, t.id, period=period, now=c.clock(), zone=c.settings.zone
        )
    console.print(
        "reminded for this period already" if count is None else f"reminded {count} unit(s)"
    )


@app.command("urgent")
@reports_errors
def urgent(
    unit: Annotated[str, typer.Argument(help="The reporting unit's area code")],
    as_: As,
    title: Annotated[str, typer.Option()],
    body: Annotated[str, typer.Option()] = "",
) -> None:
    """急报: straight to every level above the unit at once."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        view = send_urgent_report(c.uow(), principal, unit, title, body, now=c.clock(), feed=c.feed)
    console.print(f"urgent report {view.report.id} delivered to {len(view.delivered_to)} level(s)")


@app.command("urgent-show")
@reports_errors
def urgent_show(urgent_id: Annotated[int, typer.Argument(min=1)], as_: As) -> None:
    """An urgent report and who at each level has read it."""
    with container() as c:
        view = get_urgent_report(c.uow(), get_user_principal(c.uow(), as_), urgent_id)
    r = view.report
    console.print(
        f"urgent report {r.id} from {path_codes(r.area_path)[-1]} by {r.submitted_by}: "
        f"{escape(r.title)}",
        soft_wrap=True,
    )
    read = {reader.area_path: reader for reader in view.readers}
    for path in view.delivered_to:
        who = read.get(path)
        seen = f"read by {who.username} at {who.read_at.isoformat()}" if who else "unread"
        console.print(f"  {path_codes(path)[-1]}: {seen}")


@app.command("tick")
@reports_errors
def tick() -> None:
    """Remind units missing for any template whose due time has passed (once per period)."""
    with container() as c:
        count = tick_reports(c.uow(), now=c.clock(), zone=c.settings.zone)
    console.print(f"reminded {count} unit(s)")
