"""civicgrid enterprises: the 万人助万企 registry, as a named user (`--as`)."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.table import Table

from civicgrid.cli.case_actions import As
from civicgrid.cli.context import console, container, reports_errors
from civicgrid.domain.enterprises import Enterprise, EnterpriseDraft, RequestKind
from civicgrid.services import enterprises
from civicgrid.services.cases.actors import get_user_principal

app = typer.Typer(
    help="Enterprises (万人助万企): registry, officials, requests.", no_args_is_help=True
)

Uscc = Annotated[str, typer.Argument(help="统一社会信用代码 (18 characters)")]


def _line(enterprise: Enterprise) -> str:
    official = enterprise.official or "no official"
    return (
        f"{enterprise.uscc} {enterprise.name} at {enterprise.area_code} "
        f"({enterprise.located_level.slug}), {official}"
    )


@app.command("register")
@reports_errors
def register(
    as_: As,
    uscc: Uscc,
    name: Annotated[str, typer.Option(help="The enterprise's registered name")],
    address: Annotated[str, typer.Option(help="Address; placed among the area names")] = "",
    area: Annotated[str | None, typer.Option(help="Area code, instead of the address")] = None,
    lat: Annotated[float | None, typer.Option(min=-90, max=90)] = None,
    lon: Annotated[float | None, typer.Option(min=-180, max=180)] = None,
    contact_name: Annotated[str, typer.Option(help="Contact person")] = "",
    contact_phone: Annotated[str, typer.Option(help="Contact phone")] = "",
) -> None:
    """Put an enterprise on the registry; its USCC's check digit is verified."""
    draft = EnterpriseDraft(
        uscc=uscc,
        name=name,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_phone,
        lat=lat,
        lon=lon,
        area_code=area,
    )
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        enterprise = enterprises.register_enterprise(
            c.uow(),
            c.locators,
            principal,
            draft,
            now=c.clock(),
            snap_tolerance_m=c.settings.snap_tolerance_m,
        )
    console.print("registered " + _line(enterprise), markup=False, soft_wrap=True)


@app.command("list")
@reports_errors
def list_(
    as_: As,
    within: Annotated[str | None, typer.Option(help="Only below this area code")] = None,
    name: Annotated[str | None, typer.Option(help="Names containing this")] = None,
    page: Annotated[int, typer.Option(min=1, max=1_000_000)] = 1,
) -> None:
    """Enterprises in your jurisdiction."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        found = enterprises.list_enterprises(
            c.uow(), principal, within=within, name=name, page=page, page_size=50
        )
    table = Table("USCC", "name", "area", "level", "official", title=f"{found.count} enterprises")
    for e in found.items:
        table.add_row(
            e.uscc,
            escape(e.name),
            e.area_code,
            e.located_level.slug,
            escape(e.official or ""),
        )
    console.print(table)


@app.command("show")
@reports_errors
def show(as_: As, uscc: Uscc) -> None:
    """One enterprise: its record, its history and its requests with their status."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        view = enterprises.get_enterprise(c.uow(), principal, uscc, rules=c.rules, now=c.clock())
        zone = ZoneInfo(c.settings.zone)
    console.print(_line(view.enterprise), markup=False, soft_wrap=True)
    history = Table("when", "who", "what", "details", title="history")
    for entry in view.history:
        details = ", ".join(f"{k}={v}" for k, v in entry.data.items())
        history.add_row(
            f"{entry.at.astimezone(zone):%Y-%m-%d %H:%M}",
            escape(entry.actor),
            f"{entry.kind.name_zh} {entry.kind.value}",
            escape(details),
        )
    console.print(history)
    requests = Table("case", "kind", "stage", "status", "deadline", "department", title="requests")
    for r in view.requests:
        deadline = f"{r.deadline_at.astimezone(zone):%Y-%m-%d %H:%M}" if r.deadline_at else ""
        requests.add_row(
            str(r.case_id),
            f"{r.kind.name_zh} {r.kind.value}",
            f"{r.stage.name_zh} {r.stage.value}",
            r.status,
            deadline,
            r.department or r.responsible_department or "",
        )
    console.print(requests)


@app.command("assign")
@reports_errors
def assign(
    as_: As,
    uscc: Uscc,
    official: Annotated[str, typer.Option(help="The 包联干部's username")],
) -> None:
    """包联: make a user the official responsible for the enterprise."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        enterprise = enterprises.assign_official(c.uow(), principal, uscc, official, now=c.clock())
    console.print("assigned " + _line(enterprise), markup=False, soft_wrap=True)


@app.command("request")
@reports_errors
def request(
    as_: As,
    uscc: Uscc,
    kind: Annotated[RequestKind, typer.Option(case_sensitive=False, help="What is asked for")],
    description: Annotated[str, typer.Option(help="The request in the enterprise's words")],
    idempotency_key: Annotated[str | None, typer.Option(help="Retries find the same case")] = None,
) -> None:
    """File an enterprise's request as a case of the enterprise-service class."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        reported = enterprises.submit_enterprise_request(
            c.uow(),
            c.locators,
            c.rules,
            principal,
            uscc,
            kind,
            description,
            now=c.clock(),
            snap_tolerance_m=c.settings.snap_tolerance_m,
            idempotency_key=idempotency_key,
            feed=c.feed,
        )
    case = reported.case
    done = "filed" if reported.created else "was filed before with this idempotency key"
    line = f"case {case.id} {done}: {case.category} ({kind.name_zh}) at {case.area_code}"
    console.print(line, markup=False, soft_wrap=True)
