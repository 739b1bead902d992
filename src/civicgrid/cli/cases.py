"""civicgrid cases: report, list, show, the escalation tick, the log check, recount.

Reporting, reading and acting (the commands of `case_actions`, merged in here) go as
a named user (`--as`): workflow positions come from that user's grants. `tick` and
`verify-log` and `recount` run as the local operator.
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.table import Table

from civicgrid.cli import case_actions
from civicgrid.cli.case_actions import As, CaseId
from civicgrid.cli.context import console, container, reports_errors
from civicgrid.domain.cases.events import CaseEvent, EventType
from civicgrid.domain.cases.sla import Light
from civicgrid.domain.cases.stages import Source, Stage, Urgency
from civicgrid.domain.cases.state import Status
from civicgrid.services import areas as area_cases
from civicgrid.services.case_ports import CaseFilter
from civicgrid.services.cases import queries
from civicgrid.services.cases.actors import get_user_principal
from civicgrid.services.cases.intake import ReportRequest, report_case
from civicgrid.services.cases.recount import recount_cases
from civicgrid.services.cases.ticking import tick_cases
from civicgrid.services.cases.verification import verify_case_log

app = typer.Typer(help="Cases: report, act on, list and watch them.", no_args_is_help=True)
app.add_typer(case_actions.app)  # no name: its commands join this group

PAGE_SIZE = 50
LIGHT_STYLE = {Light.NORMAL: "green", Light.WARNING: "yellow", Light.OVERDUE: "bold red"}


@app.command("report")
@reports_errors
def report(
    as_: As,
    category: Annotated[str, typer.Option(help="Category code, e.g. event:0101")],
    description: Annotated[str, typer.Option(help="What the problem is")],
    lat: Annotated[float | None, typer.Option(min=-90, max=90)] = None,
    lon: Annotated[float | None, typer.Option(min=-180, max=180)] = None,
    area: Annotated[str | None, typer.Option(help="Area code, instead of --lat/--lon")] = None,
    urgent: Annotated[bool, typer.Option(help="直报: every level is told at once")] = False,
    source: Annotated[Source, typer.Option(case_sensitive=False)] = Source.GRID_WORKER,
    idempotency_key: Annotated[str | None, typer.Option(help="Retries find the same case")] = None,
) -> None:
    """信息收集: report a problem at a point (--lat/--lon) or an area (--area)."""
    request = ReportRequest(
        category=category,
        description=description,
        source=source,
        lat=lat,
        lon=lon,
        area_code=area,
        urgency=Urgency.URGENT if urgent else None,  # None: the category's default
        idempotency_key=idempotency_key,
    )
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        reported = report_case(
            c.uow(),
            c.locators,
            c.rules,
            principal,
            request,
            now=c.clock(),
            snap_tolerance_m=c.settings.snap_tolerance_m,
        )
    case = reported.case
    if reported.snapped_m is not None:
        console.print(f"snapped {reported.snapped_m:.1f} m to the nearest micro-grid")
    done = "reported" if reported.created else "was reported before with this idempotency key"
    line = f"case {case.id} {done}: {case.category} at {case.area_code}, {_stage(case.stage)}"
    console.print(line, markup=False, soft_wrap=True)


@app.command("list")
@reports_errors
def list_(
    as_: As,
    within: Annotated[str | None, typer.Option(help="Only cases below this area code")] = None,
    status: Annotated[Status | None, typer.Option(case_sensitive=False)] = None,
    stage: Annotated[Stage | None, typer.Option(case_sensitive=False)] = None,
    overdue: Annotated[bool, typer.Option(help="Only cases past their stage's deadline")] = False,
    page: Annotated[int, typer.Option(min=1, max=1_000_000)] = 1,
) -> None:
    """Cases in your jurisdiction, newest first, with their traffic lights."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        now, zone = c.clock(), ZoneInfo(c.settings.zone)
        root = None
        if within is not None:
            root = area_cases.get_area(c.uow(), principal, within, with_geometry=False).path
        where = CaseFilter(
            within=root,
            status=status.value if status else None,
            stage=stage,
            overdue_at=now if overdue else None,
        )
        found = queries.list_cases(c.uow(), principal, where, page=page, page_size=PAGE_SIZE)
    table = Table("id", "light", "stage", "status", "category", "area", "deadline", "description")
    for item in found.items:
        table.add_row(
            str(item.id),
            _light(item.light_at(now)),
            _stage(item.stage),
            item.status + (f" ↑{item.escalation_level}" if item.escalation_level else ""),
            escape(item.category),
            item.area_code,
            _time(item.deadline_at, zone),
            escape(item.description[:60]),
        )
    console.print(table)
    pages = max(1, -(-found.count // PAGE_SIZE))
    console.print(f"{found.count} case(s); page {page} of {pages}; times in {zone.key}")


@app.command("show")
@reports_errors
def show(case_id: CaseId, as_: As) -> None:
    """One case: its state, the actions open to you, and its timeline from the event log."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        zone = ZoneInfo(c.settings.zone)
        view = queries.get_case(c.uow(), c.rules, principal, case_id, now=c.clock())
    case = view.case
    console.print(f"case {case.id}: {escape(case.description)}", soft_wrap=True)
    table = Table("field", "value")
    table.add_row("stage", _stage(case.stage))
    table.add_row("status", case.status.value + (f" ({case.outcome})" if case.outcome else ""))
    table.add_row("light", _light(view.light))
    table.add_row("deadline", _time(view.deadline_at, zone))
    table.add_row("category", escape(f"{case.category} ({case.source}, {case.urgency})"))
    escalated = f", escalated ↑{case.escalation_level}" if case.escalation_level else ""
    table.add_row("area", case.area_code + escalated)
    table.add_row("department", escape(case.department or "—"))
    table.add_row("result", escape(case.result or "—"))
    if view.contact is not None:
        contact = ", ".join(v for v in (view.contact.name, view.contact.phone) if v)
        table.add_row("contact", escape(contact or "—"))
    table.add_row("you may", ", ".join(view.allowed) or "—")
    console.print(table)
    timeline = Table("#", f"at ({zone.key})", "event", "by", "stage", "details", title="timeline")
    for event in view.events:
        to = event.to_stage
        moved = f"→ {to.value}" if to is not None and to != event.from_stage else ""
        who = escape(f"{event.actor} ({event.position.value})")
        at = _time(event.at, zone)
        timeline.add_row(str(event.seq), at, event.type.value, who, moved, _details(event))
    console.print(timeline)


@app.command("tick")
@reports_errors
def tick(
    now: Annotated[
        str | None,
        typer.Option(
            help="An ISO time with offset instead of the clock, for replays. The scheduler "
            "lease still runs on the database's clock."
        ),
    ] = None,
) -> None:
    """Escalate cases whose stage ran past its limit (run it from cron or a timer)."""
    at = _instant(now)
    with container() as c:
        done = tick_cases(
            c.uow(), c.rules, now=at or c.clock(), holder=f"cli-{os.getpid()}", feed=c.feed
        )
    if not done.ran:
        console.print("another scheduler holds the lease; nothing done")
        return
    console.print(f"escalated {done.escalated} case(s)")


@app.command("verify-log")
@reports_errors
def verify_log() -> None:
    """Check every case's event chain and that each history folds; exit 1 if any is broken."""
    with container() as c:
        found = verify_case_log(c.uow())
    summary = f"checked {found.cases_checked} case(s), {found.events_checked} event(s)"
    if found.intact:
        console.print(f"{summary}: the log is intact")
        return
    broken = ", ".join(map(str, found.broken_cases)) or "?"
    console.print(f"{summary}: [bold red]{len(found.broken_cases)} case(s) broken[/]: {broken}")
    for problem in found.problems:
        console.print(f"  {problem}", markup=False, soft_wrap=True)
    raise typer.Exit(1)


@app.command("recount")
@reports_errors
def recount() -> None:
    """Rebuild the case counters behind listing counts from the cases (a repair)."""
    with container() as c:
        wrong = recount_cases(c.uow())
    if wrong:
        console.print(f"recounted: {wrong} counter(s) were wrong and are now exact")
    else:
        console.print("recounted: every counter was exact")


def _instant(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO time", param_hint="'--now'") from None
    if parsed.tzinfo is None:
        raise typer.BadParameter("give an offset, e.g. +08:00 or Z", param_hint="'--now'")
    return parsed


def _stage(stage: Stage) -> str:
    return f"{stage.name_zh} ({stage.value})"


def _light(light: Light | None) -> str:
    if light is None:
        return "[dim]—[/]"
    return f"[{LIGHT_STYLE[light]}]● {light.value}[/]"


def _time(at: datetime | None, zone: tzinfo) -> str:
    return "—" if at is None else at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _details(event: CaseEvent) -> str:
    if event.type is EventType.REPORTED:
        data = {"source": event.data.get("source"), "urgency": event.data.get("urgency")}
    else:
        data = dict(event.data)
    parts = [f"{key}={value}" for key, value in data.items()]
    if event.reason:
        parts.append(event.reason)
    return escape("; ".join(parts))
