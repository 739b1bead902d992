"""civicgrid open311: API keys for Open311 clients, and the queue of requests to place."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from civicgrid.cli.context import console, container, reports_errors
from civicgrid.services import open311_keys as keys
from civicgrid.services import open311_submit as queue

app = typer.Typer(help="Open311 GeoReport v2: API keys and queued requests.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys that may POST requests.", no_args_is_help=True)
queue_app = typer.Typer(
    help="Requests sent with an address in words only, waiting to be placed.", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")
app.add_typer(queue_app, name="queue")


@keys_app.command("add")
@reports_errors
def add_key(name: Annotated[str, typer.Argument(help="Who uses it, e.g. fixmystreet")]) -> None:
    """Issue a key; it is printed once and only its hash is kept."""
    with container() as c:
        issued = keys.add_api_key(c.uow(), name, now=c.clock())
    console.print(f"API key for {escape(issued.name)} (shown once):")
    console.print(issued.key, markup=False, soft_wrap=True)


@keys_app.command("list")
@reports_errors
def list_keys() -> None:
    """Every key's name, when it was issued and whether it is revoked."""
    with container() as c:
        for key in keys.list_api_keys(c.uow()):
            state = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "live"
            console.print(f"{escape(key.name)}\t{key.created_at:%Y-%m-%d %H:%M}\t{state}")


@keys_app.command("revoke")
@reports_errors
def revoke_key(name: Annotated[str, typer.Argument()]) -> None:
    """Revoke a key at once: its client gets 403 from now on."""
    with container() as c:
        keys.revoke_api_key(c.uow(), name, now=c.clock())
    console.print(f"API key {escape(name)} revoked")


@queue_app.command("list")
@reports_errors
def list_queue(
    status: Annotated[str, typer.Option(help="queued, accepted or rejected")] = "queued",
) -> None:
    """Queued requests, oldest first: token, service, address as sent, description."""
    with container() as c:
        for item in queue.list_queue(c.uow(), status):
            form = item.form
            fields = (
                item.token,
                form["category"],
                form["address_string"],
                form["description"][:60],
            )
            line = "\t".join(fields)
            console.print(line, markup=False, soft_wrap=True)


@queue_app.command("accept")
@reports_errors
def accept(
    token: Annotated[str, typer.Argument()],
    area: Annotated[str, typer.Option(help="The area code where the problem is")],
) -> None:
    """Place a queued request on an area: it becomes a case, and its token shows the id."""
    with container() as c:
        case_id = queue.accept_queued(
            c.uow(),
            c.locators,
            c.rules,
            c.attachment_store,
            token,
            area,
            now=c.clock(),
            snap_tolerance_m=c.settings.snap_tolerance_m,
            max_photo_bytes=c.settings.attachment_max_bytes,
        )
    console.print(f"request {escape(token)} is case {case_id}")


@queue_app.command("reject")
@reports_errors
def reject(
    token: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option(help="Why it cannot be taken up")],
) -> None:
    """Reject a queued request; its token then leads to no case."""
    with container() as c:
        queue.reject_queued(c.uow(), token, reason, now=c.clock())
    console.print(f"request {escape(token)} rejected")
